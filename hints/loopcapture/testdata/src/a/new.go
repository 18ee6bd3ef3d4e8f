//go:build go1.22

package a

// NewSemantics: since Go 1.22 each iteration has its own variable.
func NewSemantics(ids []int) {
	for _, id := range ids {
		go func() { use(id) }()
		log(id)
	}
}
