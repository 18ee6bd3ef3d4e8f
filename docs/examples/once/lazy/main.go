// Command lazy initializes a shared value on first use with sync.Once.
package main

import (
	"fmt"
	"sync"
)

type Config struct {
	once sync.Once
	vals map[string]string
}

func (c *Config) load() {
	fmt.Println("loading config") // printed once
	c.vals = map[string]string{"region": "eu"}
}

func (c *Config) Get(key string) string {
	c.once.Do(c.load) // every caller waits until load has returned
	return c.vals[key]
}

func main() {
	var c Config
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { _ = c.Get("region") })
	}
	wg.Wait()
	fmt.Println(c.Get("region"))
}
