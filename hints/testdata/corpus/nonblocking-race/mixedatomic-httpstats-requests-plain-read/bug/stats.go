package httpstats

import (
	"net/http"
	"sync/atomic"
)

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Handler counts requests and server errors of the wrapped handler.
type Handler struct {
	next     http.Handler
	requests int64
	errors   int64
}

// Wrap returns a counting handler around next.
func Wrap(next http.Handler) *Handler {
	return &Handler{next: next}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	atomic.AddInt64(&h.requests, 1)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h.next.ServeHTTP(rec, r)
	if rec.status >= 500 {
		atomic.AddInt64(&h.errors, 1)
	}
}

// Stats returns the number of requests and of server errors so far.
func (h *Handler) Stats() (requests, errors int64) {
	return h.requests, atomic.LoadInt64(&h.errors)
}
