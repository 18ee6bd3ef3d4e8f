package fixes

import "sync"

// Tick: two goroutines tick one counter.
func Tick() uint {
	t := &ticks{}
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() {
			defer wg.Done()
			t.tick()
		}()
	}
	wg.Wait()
	return t.count()
}
