//go:build go1.21

package daemon

import (
	"log"
	"net"
	"net/http"
)

// Daemon serves one handler on several listeners.
type Daemon struct {
	handler http.Handler
	log     *log.Logger
	errc    chan error
}

// New returns a daemon serving handler.
func New(handler http.Handler, logger *log.Logger) *Daemon {
	return &Daemon{handler: handler, log: logger}
}

// ServeAll starts one HTTP server per listener.
func (d *Daemon) ServeAll(listeners []net.Listener) {
	d.errc = make(chan error, len(listeners))
	for _, l := range listeners {
		go func() {
			srv := &http.Server{Handler: d.handler}
			d.errc <- srv.Serve(l)
		}()
		d.log.Printf("serving on %s", l.Addr())
	}
}

// Err returns the first error reported by a server.
func (d *Daemon) Err() error {
	return <-d.errc
}
