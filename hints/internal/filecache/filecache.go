// Package filecache is a content-addressed store on disk, shared by
// concurrent processes: synclens check keeps each package's results there
// under a hash of everything they depend on.
//
// An entry is written to a temporary file and renamed into place, so a
// reader sees a whole entry or none; each entry carries a checksum of its
// data, so one that is damaged anyway (a full disk, a crash of the machine)
// reads as missing. The store is trimmed to a size limit, least recently used
// entries first.
package filecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Key names an entry: a hash of what the entry's data was computed from.
type Key [sha256.Size]byte

// Cache is a store in one directory.
type Cache struct {
	dir string
	// MaxBytes is the size above which Trim removes entries.
	MaxBytes int64
}

// DefaultMaxBytes bounds a cache: synclens's results for the standard
// library take a few MB, so this holds hundreds of modules' worth.
const DefaultMaxBytes = 1 << 30

// magic starts every entry; a change of format changes it, so that entries
// of another format are misses.
var magic = []byte("synclens-cache-1\n")

// Open opens (creating it if need be) the store in dir.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	return &Cache{dir: dir, MaxBytes: DefaultMaxBytes}, nil
}

func (c *Cache) path(k Key) string {
	h := hex.EncodeToString(k[:])
	return filepath.Join(c.dir, h[:2], h)
}

// touchAfter is how stale an entry's time may get before a hit refreshes it:
// trimming needs only a rough order, and a write per hit would cost more than
// the hit saves.
const touchAfter = time.Hour

// Get returns the data stored under k. A missing, short or damaged entry is
// a miss.
func (c *Cache) Get(k Key) ([]byte, bool) {
	name := c.path(k)
	b, err := os.ReadFile(name)
	if err != nil || !bytes.HasPrefix(b, magic) || len(b) < len(magic)+sha256.Size {
		return nil, false
	}
	sum, data := b[len(magic):len(magic)+sha256.Size], b[len(magic)+sha256.Size:]
	if got := sha256.Sum256(data); !bytes.Equal(sum, got[:]) {
		return nil, false
	}
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > touchAfter {
		now := time.Now()
		os.Chtimes(name, now, now) // only the order of trimming depends on it
	}
	return data, true
}

// Put stores data under k, replacing what was there.
func (c *Cache) Put(k Key, data []byte) error {
	name := c.path(k)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	_, err = f.Write(append(append(append([]byte(nil), magic...), sum[:]...), data...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// trimEvery is how often Trim walks the store: walking it costs about as
// much as a few hits, and a limit exceeded for a while does no harm.
const trimEvery = time.Hour

// Trim removes the least recently used entries while the store holds more
// than MaxBytes, leaving it at three quarters of that. It walks the store at
// most once every trimEvery (the time of the last walk is kept in a file),
// unless force is set.
func (c *Cache) Trim(force bool) error {
	stamp := filepath.Join(c.dir, "trimmed")
	if fi, err := os.Stat(stamp); err == nil && !force && time.Since(fi.ModTime()) < trimEvery {
		return nil
	}
	if err := os.WriteFile(stamp, nil, 0o666); err != nil {
		return err
	}
	type entry struct {
		name  string
		size  int64
		mtime time.Time
	}
	var entries []entry
	var total int64
	err := filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // removed by another process
				return nil
			}
			return err
		}
		if d.IsDir() || path == stamp {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		// A temporary file older than a day was left by a process that
		// died before renaming it.
		if filepath.Base(path)[0] == '.' && time.Since(fi.ModTime()) < 24*time.Hour {
			return nil
		}
		entries = append(entries, entry{path, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return err
	}
	if total <= c.MaxBytes {
		return nil
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].mtime.Before(entries[j].mtime) })
	for _, e := range entries {
		if total <= c.MaxBytes/4*3 {
			break
		}
		if err := os.Remove(e.name); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= e.size
		}
	}
	return nil
}
