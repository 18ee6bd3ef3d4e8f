package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// OpKind is the kind of a concurrency operation.
type OpKind uint8

const (
	OpNone OpKind = iota

	// sync.Mutex, sync.RWMutex and sync.Locker.
	OpLock
	OpUnlock
	OpRLock
	OpRUnlock
	OpTryLock
	OpTryRLock

	// sync.WaitGroup.
	OpWGAdd
	OpWGDone
	OpWGWait
	OpWGGo

	// sync.Cond.
	OpCondNew
	OpCondWait
	OpCondSignal
	OpCondBroadcast

	// sync.Once and its function forms.
	OpOnceDo
	OpOnceFunc

	// sync.Map.
	OpSyncMapRead
	OpSyncMapWrite

	// Channels.
	OpMakeChan
	OpSend
	OpRecv
	OpRange // a receive that drives a for-range loop
	OpClose
	OpSelect

	// Semaphores from golang.org/x/sync/semaphore.
	OpSemNew
	OpSemAcquire
	OpSemTryAcquire
	OpSemRelease

	// sync/atomic: functions on addresses and typed atomics.
	OpAtomicLoad
	OpAtomicStore // Store, Add, Swap, CompareAndSwap, And, Or

	// context.
	OpWithCancel // context.WithCancel/Timeout/Deadline(+Cause): makes a cancel func
	OpCancel     // a call of a cancel func
	OpCtxDone    // ctx.Done()

	// golang.org/x/sync/errgroup.
	OpGroupNew // errgroup.WithContext
	OpGroupGo
	OpGroupWait

	// Goroutine starts and timers.
	OpGo        // a go statement
	OpAfterFunc // time.AfterFunc
	OpSleep     // time.Sleep
	OpTimer     // time.After, time.Tick, time.NewTimer, time.NewTicker
)

var opNames = [...]string{
	OpNone: "none", OpLock: "Lock", OpUnlock: "Unlock", OpRLock: "RLock", OpRUnlock: "RUnlock",
	OpTryLock: "TryLock", OpTryRLock: "TryRLock", OpWGAdd: "Add", OpWGDone: "Done", OpWGWait: "Wait",
	OpWGGo: "Go", OpCondNew: "NewCond", OpCondWait: "Wait", OpCondSignal: "Signal", OpCondBroadcast: "Broadcast",
	OpOnceDo: "Do", OpOnceFunc: "OnceFunc", OpSyncMapRead: "Load", OpSyncMapWrite: "Store",
	OpMakeChan: "make", OpSend: "send", OpRecv: "receive", OpRange: "range", OpClose: "close", OpSelect: "select",
	OpSemNew: "NewWeighted", OpSemAcquire: "Acquire", OpSemTryAcquire: "TryAcquire", OpSemRelease: "Release",
	OpAtomicLoad: "atomic load", OpAtomicStore: "atomic store", OpWithCancel: "WithCancel", OpCancel: "cancel",
	OpCtxDone: "Done", OpGroupNew: "WithContext", OpGroupGo: "Go", OpGroupWait: "Wait", OpGo: "go",
	OpAfterFunc: "AfterFunc", OpSleep: "Sleep", OpTimer: "timer",
}

func (k OpKind) String() string { return opNames[k] }

// Acquires reports whether k takes a lock (possibly conditionally).
func (k OpKind) Acquires() bool {
	return k == OpLock || k == OpRLock || k == OpTryLock || k == OpTryRLock
}

// Releases reports whether k releases a lock.
func (k OpKind) Releases() bool { return k == OpUnlock || k == OpRUnlock }

// Read reports whether k is the shared (read) form of a lock operation.
func (k OpKind) Read() bool { return k == OpRLock || k == OpRUnlock || k == OpTryRLock }

// ObjKind is the kind of a synchronization object.
type ObjKind uint8

const (
	ObjNone ObjKind = iota
	ObjMutex
	ObjRWMutex
	ObjLocker // a sync.Locker whose dynamic type is not known
	ObjWaitGroup
	ObjCond
	ObjOnce
	ObjSyncMap
	ObjChan
	ObjSemaphore // *semaphore.Weighted
	ObjAtomic
	ObjCancel // a context.CancelFunc
	ObjContext
	ObjErrGroup
	ObjTimer
)

var objNames = [...]string{
	ObjNone: "", ObjMutex: "sync.Mutex", ObjRWMutex: "sync.RWMutex", ObjLocker: "sync.Locker",
	ObjWaitGroup: "sync.WaitGroup", ObjCond: "sync.Cond", ObjOnce: "sync.Once", ObjSyncMap: "sync.Map",
	ObjChan: "channel", ObjSemaphore: "semaphore.Weighted", ObjAtomic: "atomic value",
	ObjCancel: "context.CancelFunc", ObjContext: "context.Context", ObjErrGroup: "errgroup.Group", ObjTimer: "timer",
}

func (k ObjKind) String() string { return objNames[k] }

// IsLock reports whether objects of kind k are mutual exclusion locks.
func (k ObjKind) IsLock() bool { return k == ObjMutex || k == ObjRWMutex || k == ObjLocker }

// classified is the result of recognising a call.
type classified struct {
	kind OpKind
	obj  ObjKind
	recv ssa.Value // the object operated on (receiver, address or cancel func)
	fn   ssa.Value // the function argument of Go/Do/AfterFunc/OnceFunc, if any
	arg  ssa.Value // for NewCond: the Locker
}

// calleeOf returns the function object a call invokes, with its receiver and
// remaining arguments. It sees through bound method closures (mu.Unlock as a
// value) and method expressions. It returns nil for calls of unknown function
// values.
func calleeOf(c *ssa.CallCommon) (fn *types.Func, recv ssa.Value, args []ssa.Value) {
	if c.IsInvoke() {
		return c.Method, c.Value, c.Args
	}
	sf := c.StaticCallee()
	if sf == nil {
		return nil, nil, nil
	}
	obj, _ := sf.Object().(*types.Func)
	if obj == nil {
		return nil, nil, nil
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok && len(mc.Bindings) == 1 && isBoundWrapper(sf) {
		return obj, mc.Bindings[0], c.Args
	}
	if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Recv() != nil && len(c.Args) > 0 {
		return obj, c.Args[0], c.Args[1:]
	}
	return obj, nil, c.Args
}

func isBoundWrapper(fn *ssa.Function) bool {
	return fn.Synthetic != "" && len(fn.FreeVars) == 1 && fn.Signature.Recv() == nil &&
		len(fn.Name()) > 6 && fn.Name()[len(fn.Name())-6:] == "$bound"
}

// classifyCall recognises calls of the standard library and x/sync
// primitives.
func classifyCall(c *ssa.CallCommon) classified {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "close" && len(c.Args) == 1 {
			return classified{kind: OpClose, obj: ObjChan, recv: c.Args[0]}
		}
		return classified{}
	}
	fn, recv, args := calleeOf(c)
	if fn == nil || fn.Pkg() == nil {
		return classified{}
	}
	pkg, name := fn.Pkg().Path(), fn.Name()
	recvType := ""
	if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		recvType = typeName(sig.Recv().Type())
	}
	arg := func(i int) ssa.Value {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	switch pkg {
	case "sync":
		switch recvType {
		case "Mutex", "RWMutex", "Locker":
			if kind := lockMethods[name]; kind != OpNone {
				return classified{kind: kind, obj: lockTypes[recvType], recv: recv}
			}
		case "WaitGroup":
			if kind := waitGroupMethods[name]; kind != OpNone {
				return classified{kind: kind, obj: ObjWaitGroup, recv: recv, fn: funcArg(kind, args)}
			}
		case "Cond":
			if kind := condMethods[name]; kind != OpNone {
				return classified{kind: kind, obj: ObjCond, recv: recv}
			}
		case "Once":
			if name == "Do" {
				return classified{kind: OpOnceDo, obj: ObjOnce, recv: recv, fn: arg(0)}
			}
		case "Map":
			switch name {
			case "Load", "Range":
				return classified{kind: OpSyncMapRead, obj: ObjSyncMap, recv: recv}
			case "Store", "LoadOrStore", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap", "CompareAndDelete", "Clear":
				return classified{kind: OpSyncMapWrite, obj: ObjSyncMap, recv: recv}
			}
		case "":
			switch name {
			case "NewCond":
				return classified{kind: OpCondNew, obj: ObjCond, arg: arg(0)}
			case "OnceFunc", "OnceValue", "OnceValues":
				return classified{kind: OpOnceFunc, obj: ObjOnce, fn: arg(0)}
			}
		}
	case "sync/atomic":
		if recvType != "" {
			// Typed atomics: atomic.Int64, atomic.Bool, atomic.Value, atomic.Pointer[T], ...
			switch name {
			case "Load":
				return classified{kind: OpAtomicLoad, obj: ObjAtomic, recv: recv}
			case "Store", "Add", "Swap", "CompareAndSwap", "And", "Or":
				return classified{kind: OpAtomicStore, obj: ObjAtomic, recv: recv}
			}
			return classified{}
		}
		switch {
		case hasPrefix(name, "Load"):
			return classified{kind: OpAtomicLoad, obj: ObjAtomic, recv: arg(0)}
		case hasPrefix(name, "Store"), hasPrefix(name, "Add"), hasPrefix(name, "Swap"),
			hasPrefix(name, "CompareAndSwap"), hasPrefix(name, "And"), hasPrefix(name, "Or"):
			return classified{kind: OpAtomicStore, obj: ObjAtomic, recv: arg(0)}
		}
	case "context":
		switch name {
		case "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
			return classified{kind: OpWithCancel, obj: ObjCancel}
		case "Done":
			if recvType == "Context" {
				return classified{kind: OpCtxDone, obj: ObjContext, recv: recv}
			}
		}
	case "time":
		switch {
		case recvType == "" && name == "Sleep":
			return classified{kind: OpSleep}
		case recvType == "" && name == "AfterFunc":
			return classified{kind: OpAfterFunc, fn: arg(1)}
		case recvType == "" && (name == "After" || name == "Tick" || name == "NewTimer" || name == "NewTicker"):
			return classified{kind: OpTimer, obj: ObjTimer}
		}
	case "golang.org/x/sync/semaphore":
		switch {
		case recvType == "" && name == "NewWeighted":
			return classified{kind: OpSemNew, obj: ObjSemaphore}
		case recvType == "Weighted" && name == "Acquire":
			return classified{kind: OpSemAcquire, obj: ObjSemaphore, recv: recv}
		case recvType == "Weighted" && name == "TryAcquire":
			return classified{kind: OpSemTryAcquire, obj: ObjSemaphore, recv: recv}
		case recvType == "Weighted" && name == "Release":
			return classified{kind: OpSemRelease, obj: ObjSemaphore, recv: recv}
		}
	case "golang.org/x/sync/errgroup":
		switch {
		case recvType == "" && name == "WithContext":
			return classified{kind: OpGroupNew, obj: ObjErrGroup}
		case recvType == "Group" && (name == "Go" || name == "TryGo"):
			return classified{kind: OpGroupGo, obj: ObjErrGroup, recv: recv, fn: arg(0)}
		case recvType == "Group" && name == "Wait":
			return classified{kind: OpGroupWait, obj: ObjErrGroup, recv: recv}
		}
	}
	return classified{}
}

var (
	lockTypes   = map[string]ObjKind{"Mutex": ObjMutex, "RWMutex": ObjRWMutex, "Locker": ObjLocker}
	lockMethods = map[string]OpKind{"Lock": OpLock, "Unlock": OpUnlock, "RLock": OpRLock, "RUnlock": OpRUnlock,
		"TryLock": OpTryLock, "TryRLock": OpTryRLock}
	waitGroupMethods = map[string]OpKind{"Add": OpWGAdd, "Done": OpWGDone, "Wait": OpWGWait, "Go": OpWGGo}
	condMethods      = map[string]OpKind{"Wait": OpCondWait, "Signal": OpCondSignal, "Broadcast": OpCondBroadcast}
)

func funcArg(kind OpKind, args []ssa.Value) ssa.Value {
	if kind == OpWGGo && len(args) == 1 {
		return args[0]
	}
	return nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// typeName returns the name of the named type t or *t points to ("" if none).
func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// isCancelFunc reports whether t is context.CancelFunc or CancelCauseFunc.
func isCancelFunc(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" &&
		(n.Obj().Name() == "CancelFunc" || n.Obj().Name() == "CancelCauseFunc")
}

// objKindOfType maps a (pointer to a) type to the sync object it is.
func objKindOfType(t types.Type) ObjKind {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := types.Unalias(t).(type) {
	case *types.Chan:
		return ObjChan
	case *types.Named:
		obj := u.Obj()
		if obj.Pkg() == nil {
			return ObjNone
		}
		switch obj.Pkg().Path() + "." + obj.Name() {
		case "sync.Mutex":
			return ObjMutex
		case "sync.RWMutex":
			return ObjRWMutex
		case "sync.Locker":
			return ObjLocker
		case "sync.WaitGroup":
			return ObjWaitGroup
		case "sync.Cond":
			return ObjCond
		case "sync.Once":
			return ObjOnce
		case "sync.Map":
			return ObjSyncMap
		case "golang.org/x/sync/semaphore.Weighted":
			return ObjSemaphore
		case "golang.org/x/sync/errgroup.Group":
			return ObjErrGroup
		case "context.CancelFunc", "context.CancelCauseFunc":
			return ObjCancel
		case "context.Context":
			return ObjContext
		}
		if obj.Pkg().Path() == "sync/atomic" {
			return ObjAtomic
		}
		if _, ok := u.Underlying().(*types.Chan); ok {
			return ObjChan
		}
	}
	return ObjNone
}

// instrPos returns the best source position of an instruction.
func instrPos(in ssa.Instruction) token.Pos {
	switch in := in.(type) {
	case ssa.CallInstruction:
		if p := in.Common().Pos(); p.IsValid() {
			return p
		}
	}
	return in.Pos()
}

// KindOfType returns the kind of synchronization object that a value of
// type t (or *t) is, or ObjNone.
func KindOfType(t types.Type) ObjKind { return objKindOfType(t) }

// Timed reports whether an OpWithCancel makes a context with a timer of its
// own (WithTimeout, WithDeadline and their Cause forms): only then does an
// uncalled cancel keep a timer alive, and only then can the deadline end it.
func (op *Op) Timed() bool {
	if op.Kind != OpWithCancel {
		return false
	}
	call, ok := op.Instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	callee := call.Common().StaticCallee()
	if callee == nil {
		return false
	}
	name := callee.Name()
	return hasPrefix(name, "WithTimeout") || hasPrefix(name, "WithDeadline")
}
