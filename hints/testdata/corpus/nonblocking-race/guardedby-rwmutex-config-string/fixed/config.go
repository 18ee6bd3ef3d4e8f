package config

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Config is a reloadable set of string settings.
type Config struct {
	mu      sync.RWMutex
	values  map[string]string
	version int
	source  string
}

// Reload installs a new set of values.
func (c *Config) Reload(values map[string]string, source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values = values
	c.version++
	c.source = source
}

// Get returns the value of key.
func (c *Config) Get(key string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[key]
}

// String describes the loaded config for logs.
func (c *Config) String() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return fmt.Sprintf("config v%d from %s (%d keys)", c.version, c.source, len(c.values))
}

// Watch reloads the config with load every interval until ctx is done.
func (c *Config) Watch(ctx context.Context, every time.Duration, load func() (map[string]string, string, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if values, source, err := load(); err == nil {
			c.Reload(values, source)
		}
	}
}
