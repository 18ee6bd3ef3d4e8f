//go:build go1.21

package mirror

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"
)

// FetchAll downloads every URL concurrently into dir, naming the files
// by their position in urls.
func FetchAll(ctx context.Context, client *http.Client, urls []string, dir string) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, u := range urls {
		name := filepath.Join(dir, fmt.Sprintf("%04d", i))
		g.Go(func() error {
			return download(ctx, client, u, name)
		})
	}
	return g.Wait()
}

func download(ctx context.Context, client *http.Client, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
