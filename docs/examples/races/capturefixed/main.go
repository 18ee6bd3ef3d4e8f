// Command capturefixed gives each goroutine its own slot for its result, and
// reads the slots after Wait.
package main

import (
	"errors"
	"fmt"
	"sync"
)

func check(name string) error {
	if name == "b" {
		return errors.New("check b: failed")
	}
	return nil
}

func main() {
	names := []string{"a", "b", "c"}
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			errs[i] = check(name) // distinct elements: no race
		})
	}
	wg.Wait()
	fmt.Println(errors.Join(errs...)) // check b: failed
}
