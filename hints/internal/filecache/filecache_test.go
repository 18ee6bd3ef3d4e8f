package filecache

import (
	"bytes"
	"crypto/sha256"
	"os"
	"testing"
	"time"
)

func key(s string) Key { return sha256.Sum256([]byte(s)) }

func TestPutGet(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(key("a")); ok {
		t.Error("hit in an empty cache")
	}
	if err := c.Put(key("a"), []byte("data of a")); err != nil {
		t.Fatal(err)
	}
	if b, ok := c.Get(key("a")); !ok || string(b) != "data of a" {
		t.Errorf("Get = %q, %v; want the data put", b, ok)
	}
	if err := os.WriteFile(c.path(key("a")), append(magic, bytes.Repeat([]byte{1}, sha256.Size+3)...), 0o666); err != nil {
		t.Fatal(err)
	}
	if b, ok := c.Get(key("a")); ok {
		t.Errorf("a damaged entry was a hit: %q", b)
	}
}

// Trim removes the least recently used entries down to ¾ of the limit.
func TestTrim(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), 1000)
	old := time.Now().Add(-48 * time.Hour)
	for i, k := range []string{"oldest", "older", "old", "new"} {
		if err := c.Put(key(k), data); err != nil {
			t.Fatal(err)
		}
		at := old.Add(time.Duration(i) * time.Hour)
		os.Chtimes(c.path(key(k)), at, at)
	}
	// A hit makes "oldest" the most recently used.
	if _, ok := c.Get(key("oldest")); !ok {
		t.Fatal("miss")
	}
	entry := int64(len(magic) + sha256.Size + len(data))
	c.MaxBytes = 3 * entry
	if err := c.Trim(true); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"oldest": true, "older": false, "old": false, "new": true} {
		if _, ok := c.Get(key(k)); ok != want {
			t.Errorf("after Trim, %s present: %v, want %v", k, ok, want)
		}
	}
	// Trim walks at most once an hour unless forced.
	c.MaxBytes = 0
	c.Trim(false)
	if _, ok := c.Get(key("new")); !ok {
		t.Error("a second Trim within the hour removed entries")
	}
}
