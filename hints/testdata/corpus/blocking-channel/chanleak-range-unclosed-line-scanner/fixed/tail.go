package tail

import (
	"bufio"
	"io"
	"strings"
)

// Options controls how lines are matched.
type Options struct {
	IgnoreCase bool
	MaxLine    int
}

// Lines streams the lines of r on the returned channel.
func Lines(r io.Reader, maxLine int) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		if maxLine > 0 {
			sc.Buffer(make([]byte, 0, 4096), maxLine)
		}
		for sc.Scan() {
			out <- sc.Text()
		}
	}()
	return out
}

// CountMatches counts the lines of r that contain substr.
func CountMatches(r io.Reader, substr string, opts Options) int {
	if opts.IgnoreCase {
		substr = strings.ToLower(substr)
	}
	n := 0
	for line := range Lines(r, opts.MaxLine) {
		if opts.IgnoreCase {
			line = strings.ToLower(line)
		}
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}
