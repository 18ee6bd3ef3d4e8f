package explore

import (
	"go/constant"
	"go/types"
	"maps"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"
)

// Values of the abstract interpreter. A register or memory cell holds one
// of: symV (unknown, with constraints in the state), constV (a basic
// constant), nilV, refV (the address of a cell of a heap object: pointers,
// and the objects that channels, maps, slices and closures are), funcV,
// ifaceV, aggrV (a struct or array value held whole) or tupleV.
type value any

type (
	objID int32
	symID int32
)

// symV is a value the scenario does not know: a parameter, the result of
// a function with no body here, what external code stored.
type symV symID

type constV struct{ c constant.Value }

type nilV struct{}

// refV is the address of a cell: path "" is the object itself, ".3" its
// field 3, "[2]" element 2, "[*]" some element, and so on.
type refV struct {
	obj  objID
	path string
}

// funcV is a function value; env is the closure object holding its free
// variables (0 for none).
type funcV struct {
	fn  *ssa.Function
	env objID
}

type ifaceV struct {
	t types.Type
	v value
}

type aggrV struct{ fields []value }

type tupleV struct{ vs []value }

// intrinsicV is a function of the standard library that the engine models
// itself, held as a value (a cancel func).
type intrinsicV struct {
	kind intrinsicKind
	obj  objID
}

type intrinsicKind uint8

const (
	intrCancel intrinsicKind = iota + 1 // a context's cancel func: closes its Done channel
	intrErr                             // the error of a cancelled context (not nil)
)

var (
	unknownNil = nilV{}
	trueV      = constV{constant.MakeBool(true)}
	falseV     = constV{constant.MakeBool(false)}
)

func boolV(b bool) value {
	if b {
		return trueV
	}
	return falseV
}

func intV(n int64) value { return constV{constant.MakeInt64(n)} }

// constInt returns the int value of v, if it is a constant integer.
func constInt(v value) (int64, bool) {
	c, ok := v.(constV)
	if !ok || c.c == nil || c.c.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.c)
}

// constBool returns the bool value of v, if it is a constant.
func constBool(v value) (bool, bool) {
	c, ok := v.(constV)
	if !ok || c.c == nil || c.c.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(c.c), true
}

// objKind says what a heap object is.
type objKind uint8

const (
	objAlloc   objKind = iota + 1 // new(T), &T{}, a local variable that escapes
	objChan                       // make(chan T, n)
	objMap                        // make(map[K]V)
	objSlice                      // the array behind a slice
	objClosure                    // the free variables of a closure
	objExt                        // something external code made: its cells are filled on first use
	objCtx                        // a context.Context the scenario made
)

// object is a heap object. Cells are created on first store (or, for an
// external object, on first load).
type object struct {
	own   uint64
	kind  objKind
	ext   bool            // reachable by code outside the scenario
	site  ssa.Instruction // where it was made (nil for external objects)
	typ   types.Type
	cells map[string]value
	ch    *chanState // channels
	ctx   *ctxState  // contexts
	// length of a slice or map made here, when known; lenSym names the
	// unknown length otherwise, so that two loops over it agree.
	length int64
	lenSym symID
}

func (o *object) copy() *object {
	n := *o
	n.cells = maps.Clone(o.cells)
	if o.ch != nil {
		c := *o.ch
		c.buf = slices.Clone(o.ch.buf)
		c.clocks = slices.Clone(o.ch.clocks)
		n.ch = &c
	}
	if o.ctx != nil {
		c := *o.ctx
		n.ctx = &c
	}
	return &n
}

// chanState is a channel's buffer and whether it is closed. A timer channel
// (time.After, Timer.C, Ticker.C) can always deliver: the timer fires.
type chanState struct {
	cap    int
	buf    []value
	clocks []vclock // the senders' clocks of the values in buf (race.go)
	closed bool
	// unknownCap is set when the capacity is not a constant: cap is then
	// taken as unbounded.
	unknownCap bool
	timer      bool
	// forever is set for a channel that blocks by design: the Done
	// channel of a context that is never cancelled.
	forever bool
	// ctx is the context whose Done channel this is (0 if none).
	ctx objID
}

// ctxState is a context the scenario made: its Done channel and what
// cancels it.
type ctxState struct {
	done   objID // 0 until Done is called
	parent objID // the parent context, when the scenario made it
	// cancelled: cancel was called; timeout: a timer may cancel it any time.
	cancelled, timeout, cancellable bool
	// after lists the functions context.AfterFunc runs at the cancel
	// (library.go).
	after []afterFunc
}

func fieldPath(base string, i int) string { return base + "." + strconv.Itoa(i) }

func elemPath(base string, idx value) string {
	if n, ok := constInt(idx); ok {
		return base + "[" + strconv.FormatInt(n, 10) + "]"
	}
	return base + "[*]"
}
