package pairs

import "sync"

// Maps written by observers that workers notify. The model does not know
// which observer a slice of them holds, and concurrentmap stays silent;
// the exploration does.

type observer interface {
	notify(event string)
}

type eventCounts struct {
	counts map[string]int
}

func (e *eventCounts) notify(event string) { e.counts[event]++ } // want "the goroutine started at line 27 writes map `e\\.counts` here, and so does every other instance of it, with nothing ordering them: a data race; concurrent map writes abort the program"

type bus struct {
	observers []observer
}

func (b *bus) publish(events []string) {
	var wg sync.WaitGroup
	for _, ev := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, o := range b.observers {
				o.notify(ev)
			}
		}()
	}
	wg.Wait()
}

// Publish: the observer writes its map from every publisher.
func Publish(events []string) map[string]int {
	e := &eventCounts{counts: map[string]int{}}
	b := &bus{observers: []observer{e}}
	b.publish(events)
	return e.counts
}

type syncCounts struct {
	counts sync.Map
}

func (e *syncCounts) notify(event string) { e.counts.Store(event, true) }

// PublishSyncMap: the observer keeps a sync.Map.
func PublishSyncMap(events []string) *syncCounts {
	e := &syncCounts{}
	b := &bus{observers: []observer{e}}
	b.publish(events)
	return e
}

type index struct {
	byName map[string]int
}

func (x *index) put(name string, v int) { x.byName[name] = v }

// Index: workers fill one map through put. concurrentmap reports it (its
// testdata workers.go), so datarace does not.
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
