package fixtests

import "testing"

func TestServe(t *testing.T) {
	s := &server{}
	Serve(s)
	s.hits = 0
}
