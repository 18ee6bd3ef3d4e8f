//go:build go1.21

package a

import (
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

func use(int)        {}
func fetch(string)   {}
func log(...any)     {}
func spawn(f func()) { go f() }

func runAll(fs []func()) {
	for _, f := range fs {
		f()
	}
}

// Compact hands closures to a helper that starts them in goroutines.
func Compact(shards []int) {
	for i, sh := range shards {
		spawn(func() {
			use(i)  // want `loop variable i is one variable for the whole loop in this file \(go1.21, before Go 1.22\), and the goroutine started by spawn at line 27 reads it while the loop assigns the next value`
			use(sh) // want `loop variable sh is one variable`
		})
	}
}

// Serve starts a goroutine that is not the last statement of the body.
func Serve(addrs []string) {
	for _, a := range addrs {
		go func() {
			fetch(a) // want `loop variable a is one variable for the whole loop in this file \(go1\.21, before Go 1\.22\), and the goroutine started at line 37 reads it while the loop assigns the next value: a data race, and the goroutine may see a later value`
		}()
		log("serving", a)
	}
}

// FetchAll uses errgroup, then counts.
func FetchAll(urls []string) error {
	var g errgroup.Group
	n := 0
	for _, u := range urls {
		g.Go(func() error {
			fetch(u) // want `loop variable u is one variable for the whole loop in this file \(go1\.21, before Go 1\.22\), and the goroutine started by g\.Go at line 49 reads it while the loop assigns the next value: a data race, and the goroutine may see a later value`
			return nil
		})
		n++
	}
	log(n)
	return g.Wait()
}

// Retry resubmits each job from a timer callback.
func Retry(jobs []string, d time.Duration) {
	for _, job := range jobs {
		time.AfterFunc(d, func() {
			fetch(job) // want `loop variable job is one variable for the whole loop in this file \(go1\.21, before Go 1\.22\), and the goroutine started by time\.AfterFunc at line 62 reads it while the loop assigns the next value: a data race, and the goroutine may see a later value`
		})
	}
}

// Workers uses a three-clause loop counter.
func Workers(queues [][]int) {
	for i := 0; i < len(queues); i++ {
		go func() {
			for _, v := range queues[i] { // want `loop variable i is one variable`
				use(v)
			}
		}()
		log("started", i)
	}
}

// Nested starts the goroutine from a literal called in the body.
func Nested(ids []int) {
	for _, id := range ids {
		func() {
			go func() { use(id) }() // want `loop variable id is one variable`
		}()
	}
}

// Held keeps the literal in a variable before starting it.
func Held(ids []int) {
	for _, id := range ids {
		f := func() { use(id) } // want `loop variable id is one variable`
		go f()
		log(id)
	}
}

// Deferred defers a literal that is not the last statement.
func Deferred(files []string) {
	for _, name := range files {
		defer func() { fetch(name) }() // want `loop variable name is one variable for the whole loop in this file \(go1\.21, before Go 1\.22\), and the function deferred at line 101 runs after the loop: it sees the last value`
		log(name)
	}
}

// ---- near misses ----

// Vet reports the last go statement itself.
func VetCase(ids []int) {
	for _, id := range ids {
		go func() { use(id) }()
	}
}

func Copied(ids []int) {
	for _, id := range ids {
		id := id
		go func() { use(id) }()
		log(id)
	}
}

func Argument(ids []int) {
	for _, id := range ids {
		go func(id int) { use(id) }(id)
		log(id)
	}
}

func Joined(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			use(id)
		}()
		wg.Wait()
	}
}

func First(ids []int) {
	for _, id := range ids {
		if id > 0 {
			continue
		}
		go func() { use(id) }()
		break
	}
}

func Callback(groups [][]int) {
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool { return g[i] < g[j] })
		log(g)
	}
}

func DeferPerIteration(names []string) {
	for _, name := range names {
		func() {
			defer func() { fetch(name) }()
			log(name)
		}()
	}
}

func SyncHelper(ids []int) {
	for _, id := range ids {
		runAll([]func(){func() { use(id) }})
		log(id)
	}
}
