package a

import (
	"context"
	"errors"
	"time"
)

type Result struct {
	Body string
	Err  error
}

func fetch(ctx context.Context, url string) Result { return Result{Body: url, Err: ctx.Err()} }

// Fetch is the classic: the caller gives up on ctx.Done() and the goroutine
// is left sending on an unbuffered channel.
func Fetch(ctx context.Context, url string) (Result, error) {
	results := make(chan Result)
	go func() {
		results <- fetch(ctx, url) // want "the goroutine started at line 20 blocks forever on `results <- fetch\\(ctx, url\\)` when Fetch returns at line 27 on `<-ctx.Done\\(\\)`"
	}()
	select {
	case r := <-results:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// FetchBuffered is the fix: a buffer of one.
func FetchBuffered(ctx context.Context, url string) (Result, error) {
	results := make(chan Result, 1)
	go func() {
		results <- fetch(ctx, url) // ok
	}()
	select {
	case r := <-results:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// Resolve leaves on a timer.
func Resolve(host string) (string, error) {
	addrs := make(chan string)
	go lookup(host, addrs)
	select {
	case a := <-addrs:
		return a, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

func lookup(host string, out chan<- string) {
	out <- host + ".example" // want "the goroutine started at line 48 blocks forever on `out <- host \\+ \".example\"` when Resolve returns at line 53 on `<-time.After\\(time.Second\\)`"
}

// Thumbnail gives up at once when the result is not ready.
func Thumbnail(path string) []byte {
	done := make(chan []byte)
	go func() {
		done <- render(path) // want "blocks forever on `done <- render\\(path\\)` when Thumbnail returns at line 71 through the default case"
	}()
	select {
	case b := <-done:
		return b
	default:
		return nil
	}
}

func render(string) []byte { return nil }

// Upload returns on an error before receiving.
func Upload(data []byte, check func([]byte) error) error {
	errc := make(chan error)
	go func() {
		errc <- store(data) // want "the goroutine started at line 80 blocks forever on `errc <- store\\(data\\)` when Upload returns at line 84 without receiving from errc"
	}()
	if err := check(data); err != nil {
		return err
	}
	return <-errc
}

func store([]byte) error { return nil }

// UploadDrained receives on every path: no leak.
func UploadDrained(data []byte, check func([]byte) error) error {
	errc := make(chan error)
	go func() {
		errc <- store(data) // ok
	}()
	if err := check(data); err != nil {
		<-errc
		return err
	}
	return <-errc
}

// UploadSelectSender: the sender selects on ctx.Done(), so it can leave.
func UploadSelectSender(ctx context.Context, data []byte) error {
	errc := make(chan error)
	go func() {
		select {
		case errc <- store(data): // ok
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FirstReplica asks every replica and takes the first answer.
func FirstReplica(replicas []string, query func(string) string) string {
	answers := make(chan string)
	for _, r := range replicas {
		go func() {
			answers <- query(r) // want "the goroutines started at line 125 block forever on `answers <- query\\(r\\)`: FirstReplica receives only one value from answers, at line 129"
		}()
	}
	return <-answers
}

// FirstReplicaBuffered has room for every answer.
func FirstReplicaBuffered(replicas []string, query func(string) string) string {
	answers := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() {
			answers <- query(r) // ok
		}()
	}
	return <-answers
}

// FetchAll returns on the first error and leaves the other senders blocked.
func FetchAll(ctx context.Context, urls []string) ([]Result, error) {
	results := make(chan Result)
	for _, u := range urls {
		go func() {
			results <- fetch(ctx, u) // want "the goroutines started at line 147 block forever on `results <- fetch\\(ctx, u\\)` when FetchAll returns at line 155 before receiving every value"
		}()
	}
	var out []Result
	for range urls {
		r := <-results
		if r.Err != nil {
			return nil, r.Err
		}
		out = append(out, r)
	}
	return out, nil
}

// FetchAllCounted receives exactly one value per goroutine.
func FetchAllCounted(ctx context.Context, urls []string) []Result {
	results := make(chan Result)
	for _, u := range urls {
		go func() {
			results <- fetch(ctx, u) // ok
		}()
	}
	var out []Result
	for range urls {
		out = append(out, <-results)
	}
	return out
}

// Lines stops reading from its producer at the first bad line.
func Lines(lines []string, parse func(string) error) error {
	ch := make(chan string)
	go func() {
		for _, l := range lines {
			ch <- l // want "the goroutine started at line 180 blocks forever on `ch <- l` when Lines stops receiving and returns at line 188"
		}
		close(ch)
	}()
	for l := range ch {
		if err := parse(l); err != nil {
			return err
		}
	}
	return nil
}

// LinesDrained keeps receiving after the error, so the producer finishes.
func LinesDrained(lines []string, parse func(string) error) error {
	ch := make(chan string)
	go func() {
		for _, l := range lines {
			ch <- l // ok
		}
		close(ch)
	}()
	var first error
	for l := range ch {
		if err := parse(l); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Wait for a goroutine that can return without signalling.
func Replicate(dial func() error, copyData func()) {
	done := make(chan struct{})
	go func() {
		if err := dial(); err != nil {
			return
		}
		copyData()
		done <- struct{}{}
	}()
	<-done // want "receive `<-done` blocks forever when the goroutine started at line 215 returns at line 217 without sending on done"
}

// ReplicateDeferred signals on every path.
func ReplicateDeferred(dial func() error, copyData func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := dial(); err != nil {
			return
		}
		copyData()
	}()
	<-done // ok
}

// Collect ranges over a channel that nobody closes.
func Collect(items []int, square func(int) int) []int {
	out := make(chan int)
	go func() {
		for _, it := range items {
			out <- square(it)
		}
	}()
	var res []int
	for v := range out { // want "`range out` never ends: nothing closes out, so once the goroutine started at line 241 finishes sending, this loop blocks forever"
		res = append(res, v)
	}
	return res
}

// CollectClosed closes when done.
func CollectClosed(items []int, square func(int) int) []int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, it := range items {
			out <- square(it)
		}
	}()
	var res []int
	for v := range out { // ok
		res = append(res, v)
	}
	return res
}

// Titles sends on a channel nobody else can reach.
func Titles(pages []string) []string {
	titles := make(chan string)
	for _, p := range pages {
		titles <- p // want "send on unbuffered titles blocks forever: nothing receives from titles"
	}
	return nil
}

// Stream returns the channel: the consumer is unknown.
func Stream(items []int) <-chan int {
	out := make(chan int)
	go func() {
		for _, it := range items {
			out <- it // ok
		}
	}()
	return out
}

type Server struct {
	reqs chan int
}

// NewServer stores the channel in a field: unknown counterpart.
func NewServer() *Server {
	s := &Server{reqs: make(chan int)}
	go func() {
		for range s.reqs { // ok
		}
	}()
	return s
}

// lines is a generator: each call makes a channel for its caller.
func lines(text []string) <-chan string {
	out := make(chan string)
	go func() {
		for _, l := range text {
			out <- l // want "the goroutine started at line 306 blocks forever on `out <- l` when FirstLong stops receiving and returns at line 319"
		}
		close(out)
	}()
	return out
}

// FirstLong stops reading the generator early.
func FirstLong(text []string, valid func(string) error) (string, error) {
	for l := range lines(text) {
		if err := valid(l); err != nil {
			return "", err
		}
		if len(l) > 80 {
			return l, nil
		}
	}
	return "", nil
}

// CountAll reads the generator to the end.
func CountAll(text []string) int {
	n := 0
	for range lines(text) {
		n++
	}
	return n
}

// words never closes its channel.
func words(text []string) <-chan string {
	out := make(chan string)
	go func() {
		for _, w := range text {
			out <- w
		}
	}()
	return out
}

// CountWords ranges over it forever.
func CountWords(text []string) int {
	n := 0
	for range words(text) { // want "`range words\\(text\\)` never ends: nothing closes out \\(made in words\\), so once the goroutine started at line 340 finishes sending, this loop blocks forever"
		n++
	}
	return n
}

// UploadSummary starts a receiver and returns on a write error without
// sending it anything.
func UploadSummary(parts [][]byte, write func([]byte) error, report func(int)) error {
	summary := make(chan int)
	go func() {
		report(<-summary) // want "receive `<-summary` in the goroutine started at line 361 blocks forever when UploadSummary returns at line 367 without sending on summary"
	}()
	total := 0
	for _, p := range parts {
		if err := write(p); err != nil {
			return err
		}
		total += len(p)
	}
	summary <- total
	return nil
}

// UploadSummaryClosed closes the channel on every path.
func UploadSummaryClosed(parts [][]byte, write func([]byte) error, report func(int)) error {
	summary := make(chan int)
	go func() {
		for n := range summary { // ok
			report(n)
		}
	}()
	defer close(summary)
	total := 0
	for _, p := range parts {
		if err := write(p); err != nil {
			return err
		}
		total += len(p)
	}
	summary <- total
	return nil
}

// Pump stops on a signal from the caller: a path that waits for the
// signal is coordinated with it.
func Pump(input <-chan int) int {
	vals := make(chan int)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-stop:
			return
		case v := <-input:
			vals <- v // ok
		}
	}()
	return <-vals // ok
}

// SendFirst sends before starting the goroutine that receives.
func SendFirst() {
	results := make(chan int)
	results <- 1 // want "`results <- 1` blocks forever: the goroutine that receives from results is started only at line 416, after it"
	go func() {
		println(<-results)
	}()
}

// ReceiveFirst waits before starting the goroutine that sends.
func ReceiveFirst() int {
	ready := make(chan int)
	v := <-ready // want "`<-ready` blocks forever: the goroutine that sends on ready is started only at line 425, after it"
	go func() {
		ready <- 1
	}()
	return v
}

// StartFirst is the right order.
func StartFirst() {
	results := make(chan int)
	go func() {
		println(<-results)
	}()
	results <- 1 // ok
}

// Elector waits for a campaign that gives up when ctx is cancelled.
type Elector struct {
	elected chan struct{}
	try     func(context.Context) bool
}

func NewElector(try func(context.Context) bool) *Elector {
	return &Elector{elected: make(chan struct{}), try: try}
}

func (e *Elector) Run(ctx context.Context, onElected func()) {
	go e.campaign(ctx)
	go func() {
		<-e.elected // want "`<-e.elected` can block forever: when the context is cancelled, Elector.campaign returns at line 466 without closing e.elected, and nothing else would"
		onElected()
	}()
}

func (e *Elector) campaign(ctx context.Context) {
	for {
		if e.try(ctx) {
			close(e.elected)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// Search waits for a worker that gives up on cancellation.
func Search(ctx context.Context, find func() string) string {
	found := make(chan string)
	go func() {
		for {
			if ctx.Err() != nil {
				return
			}
			if s := find(); s != "" {
				found <- s
				return
			}
		}
	}()
	return <-found // want "receive `<-found` blocks forever when the goroutine started at line 475 returns at line 478 without sending on found"
}

type Item struct{ Title string }

// items ignores ctx when it sends.
func items(ctx context.Context, page func(context.Context, int) []Item) <-chan Item {
	out := make(chan Item)
	go func() {
		defer close(out)
		for n := 0; ; n++ {
			its := page(ctx, n)
			if len(its) == 0 {
				return
			}
			for _, it := range its {
				out <- it // want "the goroutine started at line 494 blocks forever on `out <- it` when FirstMatching stops receiving and returns at line 516"
			}
		}
	}()
	return out
}

// FirstMatching cancels ctx when it has its match, but the producer does
// not watch ctx.
func FirstMatching(ctx context.Context, page func(context.Context, int) []Item, q string) (Item, bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for it := range items(ctx, page) {
		if it.Title == q {
			return it, true
		}
	}
	return Item{}, false
}

// Dispatcher requeues failed events on its own channel.
type Dispatcher struct {
	events chan string
	handle func(string) error
}

func NewDispatcher(h func(string) error) *Dispatcher {
	d := &Dispatcher{events: make(chan string), handle: h}
	go d.loop()
	return d
}

func (d *Dispatcher) Publish(ev string) { d.events <- ev } // ok: other goroutines

func (d *Dispatcher) loop() {
	for ev := range d.events {
		if err := d.handle(ev); err != nil {
			d.retry(ev)
		}
	}
}

func (d *Dispatcher) retry(ev string) {
	d.events <- ev // want "send on unbuffered d.events blocks forever: it runs in the goroutine started at line 530, the only one that receives from d.events"
}

// Pipeline stages both stop on quit; the producer's plain send does not.
type Pipeline struct {
	quit  chan struct{}
	items chan int
}

func NewPipeline(next func() int, use func(int)) *Pipeline {
	p := &Pipeline{quit: make(chan struct{}), items: make(chan int)}
	go p.produce(next)
	go p.consume(use)
	return p
}

func (p *Pipeline) Stop() { close(p.quit) }

func (p *Pipeline) produce(next func() int) {
	for {
		select {
		case <-p.quit:
			return
		default:
		}
		p.items <- next() // want "`p.items <- next\\(\\)` ignores `p.quit`: Pipeline.produce watches it at line 565 but blocks here without it"
	}
}

func (p *Pipeline) consume(use func(int)) {
	for {
		select {
		case <-p.quit:
			return
		case v := <-p.items:
			use(v)
		}
	}
}

// Relay's reader keeps reading until every writer is done: fine.
type Relay struct {
	quit chan struct{}
	out  chan int
}

func (r *Relay) write(v func() int) {
	for {
		select {
		case <-r.quit:
			return
		default:
		}
		r.out <- v() // ok: the reader does not stop on quit
	}
}

func (r *Relay) read(use func(int)) {
	for v := range r.out {
		use(v)
	}
}

func NewRelay(v func() int, use func(int)) *Relay {
	r := &Relay{quit: make(chan struct{}), out: make(chan int)}
	go r.write(v)
	go r.read(use)
	return r
}

// Semaphore checks ctx once, then waits on a slot regardless.
type Semaphore struct {
	slots chan struct{}
}

func NewSemaphore(n int) *Semaphore { return &Semaphore{slots: make(chan struct{}, n)} }

func (s *Semaphore) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.slots <- struct{}{} // want "`s.slots <- struct\\{\\}\\{\\}` ignores ctx: Semaphore.Acquire checks ctx.Err\\(\\) at line 623, but while it waits here a cancelled ctx cannot stop it"
	return nil
}

// AcquireCtx waits for a slot or for ctx.
func (s *Semaphore) AcquireCtx(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case s.slots <- struct{}{}: // ok
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Semaphore) Release() { <-s.slots }

// Block waits forever on purpose, the way select {} does.
func Block() {
	<-make(chan struct{}) // ok
}

// newErrc makes the channel its callers send on: it is named by its own
// variable, not by the caller's.
func newErrc() chan error {
	errc := make(chan error)
	return errc
}

func ReportErr(err error) {
	c := newErrc()
	c <- err // want `send on unbuffered errc \(made in newErrc\) blocks forever: nothing receives from errc \(made in newErrc\)`
}

func newChan() chan error { return make(chan error) }

func ReportErr2(err error) {
	newChan() <- err // want `send on the unbuffered channel from newChan\(\) blocks forever: nothing receives from the channel from newChan\(\)`
}
