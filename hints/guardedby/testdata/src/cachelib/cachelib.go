// Package cachelib runs a loader on a miss, as goleveldb's cache.Get does.
package cachelib

type Cache struct{ m map[int]int }

func (c *Cache) Get(k int, load func() int) int {
	if v, ok := c.m[k]; ok {
		return v
	}
	v := load()
	c.m[k] = v
	return v
}
