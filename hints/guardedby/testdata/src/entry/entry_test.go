package entry

import "testing"

func TestBump(t *testing.T) {
	l := &Log{}
	l.bump()
}

func TestAdvance(t *testing.T) {
	f := &File{}
	if f.advance() != 1 {
		t.Fatal("advance")
	}
}
