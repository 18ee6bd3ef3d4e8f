package pairs

import "sync"

// Lazily initialised state, and state written once before the goroutines
// start.

type config struct {
	values map[string]string
}

type loader struct {
	cfg  *config
	once sync.Once
}

func (l *loader) get() *config {
	if l.cfg == nil {
		l.cfg = &config{} // want "the goroutine started at line 30 writes `l\\.cfg` here while another instance of it reads it at line 18, with nothing ordering the two: a data race"
	}
	return l.cfg
}

// LoadAll: every worker may initialise the config.
func LoadAll(keys []string) {
	l := &loader{}
	var wg sync.WaitGroup
	for range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = l.get()
		}()
	}
	wg.Wait()
}

func (l *loader) getOnce() *config {
	l.once.Do(func() { l.cfg = &config{} })
	return l.cfg
}

// LoadAllOnce: sync.Once runs the initialisation once, before every Do
// returns.
func LoadAllOnce(keys []string) {
	l := &loader{}
	var wg sync.WaitGroup
	for range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = l.getOnce()
		}()
	}
	wg.Wait()
}

type table struct {
	rows  []string
	limit int
}

func (t *table) scan() int {
	n := 0
	for range t.rows {
		if n < t.limit {
			n++
		}
	}
	return n
}

// ScanWhileResizing: the caller changes the limit while scanners read it.
func ScanWhileResizing(rows []string) {
	t := &table{rows: rows, limit: 10}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.scan()
		}()
	}
	t.limit = 20 // want "ScanWhileResizing writes `t\\.limit` here while the goroutine started at line 79 reads it at line 66, with nothing ordering the two: a data race"
	wg.Wait()
}

// ScanReadOnly: the limit is set before the scanners start and only read
// after.
func ScanReadOnly(rows []string) {
	t := &table{rows: rows}
	t.limit = 20
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.scan()
		}()
	}
	wg.Wait()
}
