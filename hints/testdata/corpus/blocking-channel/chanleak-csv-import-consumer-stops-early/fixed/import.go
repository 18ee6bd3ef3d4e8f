package csvimport

import (
	"encoding/csv"
	"fmt"
	"io"
)

// Import parses rows in a reader goroutine and inserts them in order. It
// stops at the first row that cannot be inserted.
func Import(r io.Reader, insert func([]string) error) (int, error) {
	rows := make(chan []string)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(rows)
		cr := csv.NewReader(r)
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				errc <- nil
				return
			}
			if err != nil {
				errc <- err
				return
			}
			select {
			case rows <- rec:
			case <-done:
				return
			}
		}
	}()

	n := 0
	for rec := range rows {
		if err := insert(rec); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, <-errc
}
