package a

import "sync"

// Slices appended and maps written by workers through methods and
// interfaces, each beside its fixed twin. (datarace leaves these to this
// check; its testdata, pairs/appends.go and pairs/maps.go, has the ones
// this check does not see.)

type results struct {
	items []string
}

func (r *results) add(s string) { r.items = append(r.items, s) } // want `r\.items = append\(r\.items, \.\.\.\) runs in every goroutine started at line 22 with no lock: the appends race on the slice and lose elements`

// GatherAll: every worker appends through add.
func GatherAll(names []string) []string {
	r := &results{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.add(n)
		}()
	}
	wg.Wait()
	return r.items
}

type lockedResults struct {
	mu    sync.Mutex
	items []string
}

func (r *lockedResults) add(s string) {
	r.mu.Lock()
	r.items = append(r.items, s)
	r.mu.Unlock()
}

// GatherAllLocked: add takes the mutex.
func GatherAllLocked(names []string) []string {
	r := &lockedResults{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.add(n)
		}()
	}
	wg.Wait()
	return r.items
}

type direct struct {
	items []string
}

// GatherDirect: the goroutine appends to the field itself.
func GatherDirect(names []string) []string {
	r := &direct{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.items = append(r.items, n) // want `r\.items = append\(r\.items, \.\.\.\) runs in every goroutine started at line 67 with no lock`
		}()
	}
	wg.Wait()
	return r.items
}

// GatherSlots: each worker writes its own element of a slice made before.
func GatherSlots(names []string) []string {
	r := &direct{items: make([]string, len(names))}
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.items[i] = n
		}()
	}
	wg.Wait()
	return r.items
}

type sink interface {
	Write(line string)
}

type memSink struct {
	lines []string
}

func (m *memSink) Write(line string) { m.lines = append(m.lines, line) } // want `m\.lines = append\(m\.lines, \.\.\.\) runs in every goroutine started at line 105 with no lock`

func logAll(s sink, lines []string) {
	var wg sync.WaitGroup
	for _, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Write(l)
		}()
	}
	wg.Wait()
}

// LogToMemory: the sink appends from every worker.
func LogToMemory(lines []string) []string {
	m := &memSink{}
	logAll(m, lines)
	return m.lines
}

type chanSink struct {
	lines chan string
}

func (c *chanSink) Write(line string) { c.lines <- line }

// LogToChannel: the sink hands every line to one goroutine that appends.
func LogToChannel(lines []string) []string {
	c := &chanSink{lines: make(chan string)}
	done := make(chan []string)
	go func() {
		var all []string
		for l := range c.lines {
			all = append(all, l)
		}
		done <- all
	}()
	logAll(c, lines)
	close(c.lines)
	return <-done
}

type index struct {
	byName map[string]int
}

func (x *index) put(name string, v int) { x.byName[name] = v } // want `map x\.byName is written by every goroutine started at line 154 with no lock`

// Index: workers fill one map through put.
func Index(names []string) int {
	x := &index{byName: map[string]int{}}
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.put(n, i)
		}()
	}
	wg.Wait()
	return len(x.byName)
}

// IndexOwned: each worker fills a map of its own, merged after the join.
func IndexOwned(names []string) int {
	parts := make([]*index, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		x := &index{byName: map[string]int{}}
		parts[i] = x
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.put(n, i)
		}()
	}
	wg.Wait()
	all := map[string]int{}
	for _, p := range parts {
		for k, v := range p.byName {
			all[k] = v
		}
	}
	return len(all)
}
