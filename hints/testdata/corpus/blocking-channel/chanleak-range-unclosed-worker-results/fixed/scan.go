package portscan

import (
	"net"
	"strconv"
	"sync"
	"time"
)

// Result lists the open ports of one host.
type Result struct {
	Host string
	Open []int
}

// Scanner probes hosts with a fixed number of workers.
type Scanner struct {
	Workers int
	Ports   []int
	Timeout time.Duration
}

// Scan probes every host and returns one result per host.
func (s *Scanner) Scan(hosts []string) []Result {
	jobs := make(chan string)
	results := make(chan Result)
	var wg sync.WaitGroup
	for i := 0; i < s.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h := range jobs {
				results <- s.probe(h)
			}
		}()
	}
	go func() {
		for _, h := range hosts {
			jobs <- h
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out
}

func (s *Scanner) probe(host string) Result {
	r := Result{Host: host}
	for _, p := range s.Ports {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(p)), s.Timeout)
		if err == nil {
			c.Close()
			r.Open = append(r.Open, p)
		}
	}
	return r
}
