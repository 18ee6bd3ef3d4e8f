package model

// Goroutine is a place that starts a goroutine: a go statement,
// errgroup.Group.Go, sync.WaitGroup.Go or time.AfterFunc.
type Goroutine struct {
	Spawn  *Op   // the go statement or the Go/AfterFunc call
	Target *Func // the function it runs, when known
}

func (m *Model) collectGoroutines() {
	for _, op := range m.Ops {
		switch op.Kind {
		case OpGo, OpWGGo, OpGroupGo, OpAfterFunc:
			g := &Goroutine{Spawn: op, Target: op.Target}
			op.Goroutine = g
			m.Goroutines = append(m.Goroutines, g)
		}
	}
}
