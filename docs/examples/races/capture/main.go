// Command capture is wrong: every goroutine assigns the same captured
// variable err, so the writes race and one failure can hide another.
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
	var err error
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b", "c"} {
		wg.Go(func() {
			err = check(name) // data race on err; a nil can overwrite the failure
		})
	}
	wg.Wait()
	fmt.Println(err)
}
