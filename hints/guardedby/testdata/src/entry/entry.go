// Package entry: locks held wherever a function runs, as its callers hold
// them. Calls from tests, calls on an object still being built and
// loaders run synchronously under the lock do not make an access look
// unguarded; a production call without the lock does.
package entry

import (
	"sync"

	"cachelib"
)

// File's offset is guarded by mu. Its helper advance runs only under the
// lock in production; the test calls it alone (entry_test.go).
type File struct {
	mu     sync.Mutex
	offset int64
}

func (f *File) Read(n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offset += n
}

func (f *File) Seek(o int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offset = o
}

func (f *File) WriteTo() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.advance()
}

func (f *File) advance() int64 {
	f.offset++
	return f.offset
}

// Log's helper bump is called only by Truncate, without the lock, in
// production code (the test caller rule does not hide it).
type Log struct {
	mu   sync.Mutex
	size int
}

func (l *Log) Append() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.size++
}

func (l *Log) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size
}

func (l *Log) Empty() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size == 0
}

func (l *Log) Drop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.size--
}

func (l *Log) Truncate() {
	l.bump()
}

func (l *Log) bump() {
	l.size++ // want `l\.size is read here without l\.mu, which guards it at 6 of 8 accesses; Append writes it under the lock \(line 53\) and can run at the same time`
}

// Reader's blocks are read under r.mu by every method; NewReader reads the
// first one before r is returned to anyone, and the cache runs the loader
// synchronously inside Block, which holds the lock.
type Reader struct {
	mu     sync.RWMutex
	cache  *cachelib.Cache
	blocks []int
}

func NewReader(blocks []int) *Reader {
	r := &Reader{cache: &cachelib.Cache{}}
	r.blocks = blocks
	r.read(0)
	return r
}

func (r *Reader) Block(i int) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cache.Get(i, func() int { return r.read(i) })
}

func (r *Reader) Direct(i int) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.read(i)
}

func (r *Reader) read(i int) int {
	return r.blocks[i]
}

func (r *Reader) Release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocks = nil
}

// Table's load is called on a table it did not make: Refresh's t may be
// shared, so the read there is unguarded.
type Table struct {
	mu   sync.RWMutex
	rows []int
}

func (t *Table) Get(i int) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.load(i)
}

func (t *Table) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows = nil
}

func Refresh(t *Table) int {
	return t.load(0)
}

func (t *Table) load(i int) int {
	return t.rows[i] // want `t\.rows is read here without t\.mu`
}
