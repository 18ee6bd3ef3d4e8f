package a

import "sync/atomic"

// LineStats is Stats with //line directives between its parts.
//
//line generated.go:3
type LineStats struct {
	hits int64
}

func (s *LineStats) Inc() { atomic.AddInt64(&s.hits, 1) }

//line far.go:90000
func (s *LineStats) Count() int64 {
	return s.hits // want `s.hits is read here without sync/atomic, but Inc writes it with atomic.AddInt64`
}

// A package variable after a //line directive.
//
//line vars.go:500
var lineHits int64

func incLineHits() { atomic.AddInt64(&lineHits, 1) }

func lineHitsNow() int64 {
	return lineHits // want `lineHits is read here without sync/atomic`
}
