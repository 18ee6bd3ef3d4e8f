package mirror

import (
	"errors"
	"sync"
)

// Appender durably appends records.
type Appender interface {
	Append(rec []byte) error
}

// Writer writes every record to a primary, a replica and an audit log.
type Writer struct {
	primary Appender
	replica Appender
	audit   Appender
}

// NewWriter returns a writer for the three destinations.
func NewWriter(primary, replica, audit Appender) *Writer {
	return &Writer{primary: primary, replica: replica, audit: audit}
}

// Write appends rec to all destinations concurrently.
func (w *Writer) Write(rec []byte) error {
	var wg sync.WaitGroup
	var errPrimary, errReplica, errAudit error
	wg.Add(2)
	go func() {
		defer wg.Done()
		errPrimary = w.primary.Append(rec)
	}()
	go func() {
		defer wg.Done()
		errReplica = w.replica.Append(rec)
	}()
	go func() {
		defer wg.Done()
		errAudit = w.audit.Append(rec)
	}()
	wg.Wait()
	return errors.Join(errPrimary, errReplica, errAudit)
}
