package search

import (
	"context"
	"errors"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Source loads the text of a document.
type Source interface {
	Load(ctx context.Context, id string) (string, error)
}

// Index maps document IDs to their terms.
type Index struct {
	mu       sync.Mutex
	docs     map[string][]string
	building bool
}

func (idx *Index) add(id string, terms []string) {
	idx.mu.Lock()
	idx.docs[id] = terms
	idx.mu.Unlock()
}

// Terms returns the indexed terms of a document.
func (idx *Index) Terms(id string) []string {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	return idx.docs[id]
}

// Rebuild re-tokenizes every document from src.
func (idx *Index) Rebuild(ctx context.Context, src Source, ids []string) error {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.building {
		return errors.New("search: rebuild already running")
	}
	idx.building = true
	idx.docs = make(map[string][]string, len(ids))

	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error {
			text, err := src.Load(ctx, id)
			if err != nil {
				return err
			}
			idx.add(id, strings.Fields(strings.ToLower(text)))
			return nil
		})
	}
	err := g.Wait()
	idx.building = false
	return err
}
