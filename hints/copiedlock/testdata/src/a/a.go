package a

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c Counter) Add() { // want `Add passes lock by value: a.Counter contains sync.Mutex`
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c Counter) Value() int { // want `Value passes lock by value: a.Counter contains sync.Mutex`
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func useCounter() {
	var c Counter
	c.Add()
	p := &c
	p.Add()
	fmt.Println(c.Value())
}

func wait(wg sync.WaitGroup) { // want `wait passes lock by value: sync.WaitGroup contains sync.noCopy`
	wg.Wait()
}

func startAll(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	wait(wg)
}

type Stats struct {
	sync.RWMutex
	hits map[string]int
}

func report(s Stats, key string) int { // want `report passes lock by value: a.Stats`
	s.RLock()
	defer s.RUnlock()
	return s.hits[key]
}

func reportAll(all []Stats, ptr *Stats) {
	for i := range all {
		report(all[i], "x")
	}
	report(*ptr, "y")
}

// ---- no fix: it would not compile or would change behaviour ----

type Named struct {
	mu   sync.Mutex
	name string
}

// String: fmt prints values of Named through it.
func (n Named) String() string { return n.name }

// Called on a value that is not addressable.
func (n Named) Len() int { return len(n.name) }

func makeNamed() Named { return Named{name: "x"} }

func useLen() int { return makeNamed().Len() }

// Used through an interface by value.
type Sizer interface{ Size() int }

func (n Named) Size() int { return len(n.name) }

func sizes() []Sizer {
	var n Named
	return []Sizer{n}
}

// The parameter is copied again inside: *p would be needed.
func keep(l sync.Mutex) sync.Mutex {
	return l
}

// Exported: other packages call it.
func Exported(wg sync.WaitGroup) {
	wg.Wait()
}
