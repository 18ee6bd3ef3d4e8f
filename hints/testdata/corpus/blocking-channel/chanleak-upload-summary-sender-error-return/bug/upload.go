package upload

import (
	"fmt"
	"io"
	"log"
)

// Uploader writes chunks to a remote object and logs a summary.
type Uploader struct {
	w   io.Writer
	log *log.Logger
}

// New returns an uploader writing to w.
func New(w io.Writer, logger *log.Logger) *Uploader {
	return &Uploader{w: w, log: logger}
}

type summary struct {
	chunks int
	bytes  int64
}

// Upload writes every chunk and logs a summary once all were written.
func (u *Uploader) Upload(name string, chunks [][]byte) error {
	done := make(chan summary)
	go func() {
		s := <-done
		u.log.Printf("%s: uploaded %d chunks, %d bytes", name, s.chunks, s.bytes)
	}()

	var total int64
	for _, c := range chunks {
		n, err := u.w.Write(c)
		if err != nil {
			return fmt.Errorf("upload %s: %w", name, err)
		}
		total += int64(n)
	}
	done <- summary{chunks: len(chunks), bytes: total}
	return nil
}
