package sqlx

import (
	"fmt"
	"sync"
)

// Driver opens connections for one database flavour.
type Driver interface {
	Open(dsn string) (Conn, error)
}

// Conn is an open database connection.
type Conn interface {
	Close() error
}

var (
	driversMu sync.RWMutex
	drivers   = make(map[string]Driver)

	openMu    sync.Mutex
	openConns = make(map[string]int)
)

// Register makes a driver available by name.
func Register(name string, d Driver) {
	driversMu.Lock()
	defer driversMu.Unlock()
	drivers[name] = d
	openMu.Lock()
	openConns[name] = 0
	openMu.Unlock()
}

func lookup(name string) (Driver, bool) {
	driversMu.RLock()
	defer driversMu.RUnlock()
	d, ok := drivers[name]
	return d, ok
}

// Open opens a connection with the named driver.
func Open(name, dsn string) (Conn, error) {
	d, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("sqlx: unknown driver %q", name)
	}
	openMu.Lock()
	defer openMu.Unlock()
	c, err := d.Open(dsn)
	if err != nil {
		return nil, err
	}
	openConns[name]++
	return c, nil
}
