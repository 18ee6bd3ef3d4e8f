package ring

import "sync"

// Buffer is a fixed-size ring that overwrites its oldest item when full.
type Buffer[T any] struct {
	mu    sync.Mutex
	items []T
	head  int
	count int
}

// New returns a ring with room for size items.
func New[T any](size int) *Buffer[T] {
	return &Buffer[T]{items: make([]T, size)}
}

// Push appends v, dropping the oldest item when the ring is full.
func (b *Buffer[T]) Push(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items[(b.head+b.count)%len(b.items)] = v
	if b.count == len(b.items) {
		b.head = (b.head + 1) % len(b.items)
	} else {
		b.count++
	}
}

// Pop removes and returns the oldest item.
func (b *Buffer[T]) Pop() (T, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var zero T
	if b.count == 0 {
		return zero, false
	}
	v := b.items[b.head]
	b.items[b.head] = zero
	b.head = (b.head + 1) % len(b.items)
	b.count--
	return v, true
}

// Len returns the number of buffered items.
func (b *Buffer[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.count
}
