package lru

import (
	"container/list"
	"sync"
)

type item[K comparable, V any] struct {
	key   K
	value V
}

// Cache is a fixed-size least-recently-used cache safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	size  int
	order *list.List
	items map[K]*list.Element
}

// New returns a cache holding at most size entries.
func New[K comparable, V any](size int) *Cache[K, V] {
	return &Cache[K, V]{size: size, order: list.New(), items: make(map[K]*list.Element)}
}

// Get returns the value for key and marks it as recently used.
func (l *Cache[K, V]) Get(key K) (V, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.items[key]; ok {
		l.order.MoveToFront(el)
		return el.Value.(*item[K, V]).value, true
	}
	var zero V
	return zero, false
}

// Put adds or updates key, evicting the oldest entry when full.
func (l *Cache[K, V]) Put(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.items[key]; ok {
		el.Value.(*item[K, V]).value = value
		l.order.MoveToFront(el)
		return
	}
	l.items[key] = l.order.PushFront(&item[K, V]{key: key, value: value})
	if l.order.Len() > l.size {
		l.evictOldest()
	}
}

func (l *Cache[K, V]) evictOldest() {
	if el := l.order.Back(); el != nil {
		l.Remove(el.Value.(*item[K, V]).key)
	}
}

// Remove drops key from the cache.
func (l *Cache[K, V]) Remove(key K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.removeLocked(key)
}

func (l *Cache[K, V]) removeLocked(key K) {
	if el, ok := l.items[key]; ok {
		l.order.Remove(el)
		delete(l.items, key)
	}
}
