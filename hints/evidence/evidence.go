// Package evidence reads what Go's runtime reports about concurrency bugs
// it saw happen: the data race reports of the race detector (go test
// -race, go run -race) and the goroutine leak profile of Go 1.26
// (GOEXPERIMENT=goroutineleakprofile, runtime/pprof's "goroutineleak"
// profile written with debug=1 or debug=2, or /debug/pprof/goroutineleak).
// Test output may be plain or go test -json; other lines are skipped, so a
// whole CI log can be read.
//
// It only parses: no code of the reported program runs, and mapping the
// reports to source and to synclens's own findings is package hints's job.
package evidence

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the kind of a report.
type Kind uint8

const (
	Race Kind = iota + 1 // a data race report of the race detector
	Leak                 // leaked goroutines of the goroutineleak profile
)

func (k Kind) String() string {
	switch k {
	case Race:
		return "data race"
	case Leak:
		return "goroutine leak"
	}
	return "?"
}

// Report is one race or one group of leaked goroutines with the same stack.
type Report struct {
	Kind Kind
	// Stacks, for a race: the access, the previous access, then the
	// creation of each goroutine involved. For a leak: where the goroutine
	// is blocked, then (debug=2 only) where it was created.
	Stacks []Stack
	// Count is the number of leaked goroutines with this stack (1 for a
	// race).
	Count int
	// State is the leaked goroutine's wait reason: "chan send",
	// "sync.WaitGroup.Wait"... (leaks only; empty in a debug=1 profile).
	State string
}

// Role says what a stack of a report shows.
type Role uint8

const (
	Access     Role = iota + 1 // the access that raced (race)
	PrevAccess                 // the earlier access it conflicts with (race)
	Created                    // where a goroutine of the report was started
	Blocked                    // where a leaked goroutine waits forever (leak)
)

// Stack is one stack trace of a report, innermost frame first.
type Stack struct {
	Role Role
	// Op is "read" or "write" for a race access; Goroutine is the
	// goroutine's number (0: the main goroutine or unknown).
	Op        string
	Goroutine int
	// Header is the line that introduces the stack, as the runtime wrote it.
	Header string
	Frames []Frame
}

// Frame is one call in a stack.
type Frame struct {
	Func string // as the runtime prints it: race.(*C).Inc
	File string // as the binary recorded it (absolute, or module-relative with -trimpath)
	Line int
}

// Parse reads every report in r. Text that is neither is skipped; a
// report cut off (a truncated log) keeps the frames read so far.
func Parse(r io.Reader) ([]Report, error) {
	p := &parser{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "{") {
			var ev struct{ Output *string }
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Output != nil {
				// go test -json: an output event carries one line (or the
				// part of one written at a time).
				p.json += *ev.Output
				for {
					i := strings.IndexByte(p.json, '\n')
					if i < 0 {
						break
					}
					p.line(p.json[:i])
					p.json = p.json[i+1:]
				}
				continue
			}
		}
		p.line(line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the reports: %w", err)
	}
	if p.json != "" {
		p.line(p.json)
	}
	p.flush()
	return p.out, nil
}

type parseState uint8

const (
	outside parseState = iota
	inRace
	inLeak1 // a debug=1 profile record
	inLeak2 // a debug=2 goroutine block
)

type parser struct {
	out   []Report
	state parseState
	cur   *Report
	stack *Stack
	fn    string // a function line waiting for its file line
	json  string // pending go test -json output
	// profile is set inside a debug=1 goroutineleak profile.
	profile bool
}

var (
	raceAccess  = regexp.MustCompile(`^(?:(Previous) )?(?i:(read|write))(?: of size \d+)? at 0x[0-9a-f]+ by (?:goroutine (\d+)|(main) goroutine):$`)
	raceCreated = regexp.MustCompile(`^Goroutine (\d+) \([^)]*\) created at:$`)
	fileLine    = regexp.MustCompile(`^\s+(.+?):(\d+)(?: \+0x[0-9a-f]+)?$`)
	leakHeader  = regexp.MustCompile(`^goroutine (\d+) (?:gp=\S+ m=\S+ mp=\S+ )?\[([^\]]*?)\s*\(leaked\)[^\]]*\]:$`)
	anyGHeader  = regexp.MustCompile(`^goroutine \d+ .*\]:$`)
	createdBy   = regexp.MustCompile(`^created by (\S+)(?: in goroutine (\d+))?$`)
	profileHead = regexp.MustCompile(`^goroutineleak profile: total \d+$`)
	leakRecord  = regexp.MustCompile(`^(\d+) @( 0x[0-9a-f]+)*$`)
	leakFrame   = regexp.MustCompile(`^#\s+0x[0-9a-f]+\s+(\S+?)(?:\+0x[0-9a-f]+)?\s+(.+):(\d+)$`)
)

func (p *parser) line(line string) {
	line = strings.TrimRight(line, "\r")
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "WARNING: DATA RACE":
		p.flush()
		p.state = inRace
		p.cur = &Report{Kind: Race, Count: 1}
		return
	case profileHead.MatchString(trimmed):
		p.flush()
		p.profile = true
		return
	case leakHeader.MatchString(trimmed):
		p.flush()
		m := leakHeader.FindStringSubmatch(trimmed)
		n, _ := strconv.Atoi(m[1])
		p.state = inLeak2
		p.cur = &Report{Kind: Leak, Count: 1, State: strings.TrimSuffix(strings.TrimSpace(m[2]), ",")}
		p.push(Stack{Role: Blocked, Goroutine: n, Header: trimmed})
		return
	}
	switch p.state {
	case inRace:
		p.raceLine(line, trimmed)
	case inLeak1:
		p.leak1Line(trimmed)
	case inLeak2:
		p.leak2Line(line, trimmed)
	default:
		if p.profile {
			p.leak1Line(trimmed)
		}
	}
}

func (p *parser) raceLine(line, trimmed string) {
	if strings.HasPrefix(trimmed, "==================") {
		p.flush()
		return
	}
	if m := raceAccess.FindStringSubmatch(trimmed); m != nil {
		role := Access
		if m[1] != "" {
			role = PrevAccess
		}
		g, _ := strconv.Atoi(m[3])
		p.push(Stack{Role: role, Op: strings.ToLower(m[2]), Goroutine: g, Header: trimmed})
		return
	}
	if m := raceCreated.FindStringSubmatch(trimmed); m != nil {
		g, _ := strconv.Atoi(m[1])
		p.push(Stack{Role: Created, Goroutine: g, Header: trimmed})
		return
	}
	p.frameLine(line, trimmed)
}

// frameLine reads the two-line frames of race reports and goroutine
// dumps: a function line, then an indented file:line line.
func (p *parser) frameLine(line, trimmed string) {
	if p.stack == nil || trimmed == "" {
		p.fn = ""
		return
	}
	if m := fileLine.FindStringSubmatch(line); m != nil && p.fn != "" {
		n, _ := strconv.Atoi(m[2])
		p.stack.Frames = append(p.stack.Frames, Frame{Func: p.fn, File: m[1], Line: n})
		p.fn = ""
		return
	}
	p.fn = funcName(trimmed)
}

// funcName strips the argument list of a frame's function line:
// "race.(*C).Inc(0xc000012345)" is race.(*C).Inc.
func funcName(s string) string {
	if i := strings.LastIndex(s, "("); i > 0 && strings.HasSuffix(s, ")") && !strings.HasSuffix(s[:i], ".") {
		return s[:i]
	}
	return s
}

func (p *parser) leak2Line(line, trimmed string) {
	switch {
	case trimmed == "":
		p.flush()
	case anyGHeader.MatchString(trimmed):
		p.flush() // a goroutine that is not leaked (debug=2 lists all)
	default:
		if m := createdBy.FindStringSubmatch(trimmed); m != nil {
			g, _ := strconv.Atoi(m[2])
			p.push(Stack{Role: Created, Goroutine: g, Header: trimmed})
			p.fn = m[1]
			return
		}
		p.frameLine(line, trimmed)
	}
}

func (p *parser) leak1Line(trimmed string) {
	if m := leakRecord.FindStringSubmatch(trimmed); m != nil {
		p.flush()
		n, _ := strconv.Atoi(m[1])
		p.state = inLeak1
		p.cur = &Report{Kind: Leak, Count: n}
		p.push(Stack{Role: Blocked, Header: trimmed})
		return
	}
	if p.state != inLeak1 {
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			p.profile = false // the profile ended
		}
		return
	}
	if m := leakFrame.FindStringSubmatch(trimmed); m != nil {
		n, _ := strconv.Atoi(m[3])
		p.stack.Frames = append(p.stack.Frames, Frame{Func: m[1], File: m[2], Line: n})
		return
	}
	if strings.HasPrefix(trimmed, "# labels:") {
		return
	}
	p.flush()
	if trimmed != "" {
		p.profile = false
	}
}

func (p *parser) push(s Stack) {
	p.cur.Stacks = append(p.cur.Stacks, s)
	p.stack = &p.cur.Stacks[len(p.cur.Stacks)-1]
	p.fn = ""
}

// flush ends the current report, keeping it if it has a frame.
func (p *parser) flush() {
	if p.cur != nil {
		for _, s := range p.cur.Stacks {
			if len(s.Frames) > 0 {
				p.out = append(p.out, *p.cur)
				break
			}
		}
	}
	p.cur, p.stack, p.fn = nil, nil, ""
	p.state = outside
}
