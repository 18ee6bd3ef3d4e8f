//go:build go1.21

package a

// ServeLines is Serve after a //line directive (generated code).
//
//line generated.go:3
func ServeLines(addrs []string) {
	for _, a := range addrs {
		go func() {
			fetch(a) // want `loop variable a is one variable for the whole loop`
		}()
		log("serving", a)
	}
}
