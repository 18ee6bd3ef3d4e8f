package a

// Closes in a loop of a different channel each time.

type consumer struct {
	term chan struct{}
}

type discoverer struct {
	consumers map[string]*consumer
	all       []*consumer
	stop      chan struct{}
	reqs      chan *request
}

type single struct {
	consumers map[string]int
	cur       *consumer2
}

type consumer2 struct {
	term chan struct{}
}

// Stop closes each consumer's own channel.
func (d *discoverer) Stop() {
	for _, c := range d.consumers {
		close(c.term) // ok: one per consumer
	}
	for _, c := range d.all {
		close(c.term) // ok
	}
}

// StopCurrent closes the same consumer's channel on every iteration.
func (d *single) StopCurrent() {
	for range d.consumers {
		close(d.cur.term) // want "close\\(d.cur.term\\) is in a loop: the next iteration closes d.cur.term again and panics"
	}
}

type request struct {
	done chan struct{}
	err  error
}

// serve answers each request it receives: a fresh one each time.
func (d *discoverer) serve() {
	for r := range d.reqs {
		r.err = nil
		close(r.done) // ok
	}
}

// serveAny receives interface values and asserts them.
func serveAny(events chan any) {
	for e := range events {
		r, ok := e.(*request)
		if !ok {
			continue
		}
		close(r.done) // ok
	}
}

// ask makes a fresh request per call.
func (d *discoverer) ask() error {
	r := &request{done: make(chan struct{})}
	d.reqs <- r
	<-r.done
	return r.err
}

func (d *discoverer) Run() {
	go d.serve()
	ev := make(chan any)
	go serveAny(ev)
	ev <- &request{done: make(chan struct{})}
}

type job struct{ done chan struct{} }

// Two receivers of one channel each close the job they took; the job is
// sent twice, so both may close one job.
func runTwice(jobs chan *job) {
	j := &job{done: make(chan struct{})}
	jobs <- j
	jobs <- j
}

func workerA(jobs chan *job) {
	for j := range jobs {
		close(j.done) // want "close\\(j.done\\) here and close\\(j.done\\) at line 99 in workerB can both run on one job"
	}
}

func workerB(jobs chan *job) {
	for j := range jobs {
		close(j.done) // want "close\\(j.done\\) here and close\\(j.done\\) at line 93 in workerA can both run on one job"
		break
	}
}

func startWorkers() {
	jobs := make(chan *job)
	go workerA(jobs)
	go workerB(jobs)
	runTwice(jobs)
}

// Mailbox is closed by its own loop when it fails, and by Stop.
type Mailbox struct {
	in   chan int
	quit chan struct{}
}

func (b *Mailbox) loop() {
	for v := range b.in {
		if v < 0 {
			close(b.quit) // want "close\\(b.quit\\) here and close\\(b.quit\\) at line 127 in Mailbox.Stop can both run on one Mailbox"
			return
		}
	}
}

func (b *Mailbox) Stop() {
	close(b.quit) // want "close\\(b.quit\\) here and close\\(b.quit\\) at line 120 in Mailbox.loop can both run on one Mailbox"
}

func (b *Mailbox) Start() { go b.loop() }

func NewMailbox() *Mailbox { return &Mailbox{in: make(chan int), quit: make(chan struct{})} }
