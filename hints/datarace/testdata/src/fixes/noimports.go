package fixes

// A counter declared in a file without imports: the fix adds one.

type ticks struct {
	n uint
}

func (t *ticks) tick() { t.n++ } // want "the goroutine started at ticks\\.go:11 writes `t\\.n` here, and so does every other instance of it, with nothing ordering them: a data race"

func (t *ticks) count() uint { return t.n }
