package fixes

import "sync"

// Counters the package only increments, decrements, adds constants to
// and reads become typed atomics.

type jobs struct {
	done int
	left uint32
	size int64
}

// Run: every worker counts; the counts are read after the join.
func Run(names []string) (int, uint32, int64) {
	j := &jobs{}
	var wg sync.WaitGroup
	for range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each fix realigns the comments of its own lines only.
			j.done++ // want "the goroutine started at line 20 writes `j\\.done` here, and so does every other instance of it, with nothing ordering them: a data race"

			j.left-- // want "the goroutine started at line 20 writes `j\\.left` here, and so does every other instance of it, with nothing ordering them: a data race"

			j.size += 512 // want "the goroutine started at line 20 writes `j\\.size` here while another instance of it writes it at line 28, with nothing ordering the two: a data race"
			j.size -= 2   // want "the goroutine started at line 20 writes `j\\.size` here while another instance of it reads it at line 27, with nothing ordering the two: a data race"
		}()
	}
	wg.Wait()
	return j.done, j.left, j.size
}

var polls int64

// Poll: the package counter.
func Poll(n int) int64 {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			polls++ // want "the goroutine started at line 42 writes `polls` here, and so does every other instance of it, with nothing ordering them: a data race"
		}()
	}
	wg.Wait()
	total := polls // read after the join
	return total   // a comment the fix realigns
}

// Each of these counters is also used in a way a typed atomic cannot
// stand for: the race is reported, with no fix.

type Exported struct {
	N int
}

func (e *Exported) bump() { e.N++ } // want "the goroutine started at line 108 writes `e\\.N` here, and so does every other instance of it, with nothing ordering them: a data race"

type addressed struct {
	n int
}

func (a *addressed) bump() { a.n++ } // want "the goroutine started at line 108 writes `a\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

func (a *addressed) ptr() *int { return &a.n }

type literal struct {
	n int
}

func (l *literal) bump() { l.n++ } // want "the goroutine started at line 108 writes `l\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

func newLiteral() *literal { return &literal{n: 1} }

type copied struct {
	n int
}

func (c *copied) bump() { c.n++ } // want "the goroutine started at line 108 writes `c\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

func (c *copied) snapshot() copied { return *c }

type reset struct {
	n int
}

func (r *reset) bump() { r.n++ } // want "the goroutine started at line 108 writes `r\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

func (r *reset) clear() { r.n = 0 }

type count int

type named struct {
	n count
}

func (c *named) bump() { c.n++ } // want "the goroutine started at line 108 writes `c\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

type bumper interface{ bump() }

// twice runs b's bump from two goroutines.
func twice(b bumper) {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.bump()
		}()
	}
	wg.Wait()
}

func BumpExported()  { twice(&Exported{}) }
func BumpAddressed() { twice(&addressed{}) }
func BumpLiteral()   { twice(newLiteral()) }
func BumpCopied()    { twice(&copied{}) }
func BumpReset()     { twice(&reset{}) }
func BumpNamed()     { twice(&named{}) }
