package lookup

import "sync"

// Table maps keys to precomputed values. It is filled by Warm and only
// read afterwards.
type Table[K comparable, V any] struct {
	compute func(K) V
	values  map[K]V
}

// NewTable returns an empty table using compute.
func NewTable[K comparable, V any](compute func(K) V) *Table[K, V] {
	return &Table[K, V]{compute: compute, values: make(map[K]V)}
}

// Warm computes the values for keys concurrently.
func (t *Table[K, V]) Warm(keys []K) {
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := t.compute(k)
			mu.Lock()
			t.values[k] = v
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// Lookup returns the precomputed value of k.
func (t *Table[K, V]) Lookup(k K) (V, bool) {
	v, ok := t.values[k]
	return v, ok
}

// Len returns the number of precomputed values.
func (t *Table[K, V]) Len() int {
	return len(t.values)
}
