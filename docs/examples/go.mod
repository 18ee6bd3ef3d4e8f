module github.com/synclens/synclens/docs/examples

go 1.26
