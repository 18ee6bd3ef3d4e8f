package validate

import (
	"fmt"
	"sort"
	"sync"
)

// Manifest is a deployable resource description.
type Manifest struct {
	Name   string
	Fields map[string]string
}

// Rule checks one property of a manifest.
type Rule interface {
	Check(m Manifest) error
}

// ValidateAll validates every manifest concurrently and returns all
// problems found, sorted by message.
func ValidateAll(manifests []Manifest, rules []Rule) []error {
	var errs []error
	var wg sync.WaitGroup
	for _, m := range manifests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range rules {
				if err := r.Check(m); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", m.Name, err))
				}
			}
		}()
	}
	wg.Wait()
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}
