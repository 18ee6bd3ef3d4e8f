package index

// Snapshot copies the index into a slice of pairs.
func Snapshot[K comparable, V any](idx *Index[K, V]) []Pair[K, V] {
	var out []Pair[K, V]
	idx.Range(func(k K, v V) bool {
		if out == nil {
			out = make([]Pair[K, V], 0, idx.Len())
		}
		out = append(out, Pair[K, V]{Key: k, Value: v})
		return true
	})
	return out
}

// Pair is one key/value entry.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}
