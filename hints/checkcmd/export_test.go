package checkcmd

import (
	"sort"

	"golang.org/x/tools/go/packages"
)

// RecordMisses makes the runs until the returned function is called append
// the package paths each one did not find in the cache (sorted) to *misses.
func RecordMisses(misses *[][]string) (restore func()) {
	missHook = func(ps []*packages.Package) {
		var paths []string
		for _, p := range ps {
			paths = append(paths, p.PkgPath)
		}
		sort.Strings(paths)
		*misses = append(*misses, paths)
	}
	return func() { missHook = nil }
}
