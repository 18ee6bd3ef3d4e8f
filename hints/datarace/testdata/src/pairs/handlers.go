package pairs

import (
	"net/http"
	"sync/atomic"
)

// HTTP handlers: net/http calls them for many requests at once.

type hitServer struct {
	hits int
}

func (s *hitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits++ // want "the handler served from line 20 writes `s\\.hits` here, and so does every other instance of it, with nothing ordering them: a data race"
}

// ListenHits serves a handler that counts without synchronisation.
func ListenHits(addr string) error {
	return http.ListenAndServe(addr, &hitServer{})
}

type atomicHits struct {
	hits atomic.Int64
}

func (s *atomicHits) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
}

// ListenAtomicHits: the handler counts atomically.
func ListenAtomicHits(addr string) error {
	return http.ListenAndServe(addr, &atomicHits{})
}

type visits struct {
	last string
}

// Register: the handler function writes the field on every request.
func Register(mux *http.ServeMux) *visits {
	v := &visits{}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		v.last = r.URL.Path // want "the handler served from line 43 writes `v\\.last` here, and so does every other instance of it, with nothing ordering them: a data race"
	})
	return v
}

// RegisterReadOnly: the handler only reads what was set before.
func RegisterReadOnly(mux *http.ServeMux) *visits {
	v := &visits{last: "/"}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(v.last))
	})
	return v
}
