package cards

// FirstPart takes the first of three parts its goroutine sends into a
// channel with room for one: the third send waits forever, and the card
// on it shows how, as the chanleak warning does.
func FirstPart(parts [3]string) string {
	out := make(chan string, 1)
	go func() {
		for i := 0; i < 3; i++ {
			out <- parts[i] //hover:<-
		}
	}()
	return <-out //hover:<-
}
