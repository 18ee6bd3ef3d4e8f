package feed

import (
	"context"
	"strings"
)

// Item is one entry of a feed.
type Item struct {
	ID    string
	Title string
}

// Source lists items page by page.
type Source interface {
	Page(ctx context.Context, n int) ([]Item, error)
}

// Stream emits every item of src on the returned channel until ctx is done.
func Stream(ctx context.Context, src Source) <-chan Item {
	out := make(chan Item)
	go func() {
		defer close(out)
		for page := 0; ; page++ {
			items, err := src.Page(ctx, page)
			if err != nil || len(items) == 0 {
				return
			}
			for _, it := range items {
				out <- it
			}
		}
	}()
	return out
}

// FirstMatching returns the first item whose title contains q.
func FirstMatching(ctx context.Context, src Source, q string) (Item, bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for it := range Stream(ctx, src) {
		if strings.Contains(strings.ToLower(it.Title), strings.ToLower(q)) {
			return it, true
		}
	}
	return Item{}, false
}
