package manifest

import (
	"encoding/json"
	"errors"
	"net/http"
)

// Manifest describes the layers of an image.
type Manifest struct {
	Digest string   `json:"digest"`
	Layers []string `json:"layers"`
}

type fetchResult struct {
	m   *Manifest
	err error
}

// Client pulls manifests from a registry.
type Client struct {
	http *http.Client
	base string
}

// Pull fetches the manifest for ref while allowed checks the reference
// against the pull policy.
func (c *Client) Pull(ref string, allowed func(string) error) (*Manifest, error) {
	results := make(chan fetchResult)
	go func() {
		m, err := c.fetch(ref)
		results <- fetchResult{m, err}
	}()

	if err := allowed(ref); err != nil {
		return nil, err
	}
	r := <-results
	if r.err != nil {
		return nil, r.err
	}
	if r.m.Digest == "" {
		return nil, errors.New("manifest: missing digest")
	}
	return r.m, nil
}

func (c *Client) fetch(ref string) (*Manifest, error) {
	resp, err := c.http.Get(c.base + "/v2/manifests/" + ref)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var m Manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}
