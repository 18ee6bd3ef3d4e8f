package crawl

import (
	"io"
	"net/http"
	"regexp"
	"strings"
)

// Crawler fetches pages and extracts their titles.
type Crawler struct {
	client *http.Client
}

// New returns a crawler using client.
func New(client *http.Client) *Crawler {
	return &Crawler{client: client}
}

// Titles returns the title of every page, in the order of urls.
func (c *Crawler) Titles(urls []string) []string {
	titles := make(chan string, len(urls))
	for _, u := range urls {
		titles <- c.title(u)
	}
	close(titles)

	out := make([]string, 0, len(urls))
	for t := range titles {
		out = append(out, t)
	}
	return out
}

var titleRE = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

func (c *Crawler) title(u string) string {
	resp, err := c.client.Get(u)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return ""
	}
	if m := titleRE.FindSubmatch(body); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return ""
}
