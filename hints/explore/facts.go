package explore

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// Branches on unknown values. A comparison the engine cannot evaluate is
// kept as a cmpV; the branch that tests it forks, and each side learns a
// fact (an interval, nil or not, a boolean, or the outcome of the
// comparison itself), so that a later test of the same value goes the
// same way: a goroutine that sent on errCh because err != nil also takes
// the err != nil side of the receiver's check.

// cmpV is a comparison x op y with at least one unknown side; the unknown
// is on the left when there is one.
type cmpV struct {
	op   token.Token
	x, y value
}

// binop evaluates x op y.
func binop(s *state, op token.Token, x, y value) value {
	cx, xc := x.(constV)
	cy, yc := y.(constV)
	if xc && yc && cx.c != nil && cy.c != nil {
		return constBinop(s, op, cx.c, cy.c)
	}
	switch op {
	case token.EQL, token.NEQ:
		if eq, known := identical(x, y); known {
			return boolV(eq == (op == token.EQL))
		}
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return s.newSym()
	}
	if _, ok := x.(symV); !ok {
		if _, ok := y.(symV); ok {
			x, y, op = y, x, flip(op)
		}
	}
	return cmpV{op, x, y}
}

// fixedBinop evaluates x op y as Go does on values of type t: integer
// results wrap around at t's width, and a shift by the width or more
// leaves 0 (or -1, shifting a negative number right).
func fixedBinop(s *state, op token.Token, x, y value, t types.Type) value {
	bits, signed := intWidth(t)
	if bits == 0 {
		return binop(s, op, x, y)
	}
	cx, xc := x.(constV)
	n, yc := constInt(y)
	if (op == token.SHL || op == token.SHR) && xc && cx.c != nil && cx.c.Kind() == constant.Int && yc && n >= int64(bits) {
		if op == token.SHR && signed && constant.Sign(cx.c) < 0 {
			return intV(-1)
		}
		return intV(0)
	}
	r := binop(s, op, x, y)
	c, ok := r.(constV)
	if !ok || c.c == nil || c.c.Kind() != constant.Int {
		return r
	}
	// c mod 2^bits, then the negative half for a signed type.
	mod := constant.Shift(constant.MakeInt64(1), token.SHL, bits)
	w := constant.BinaryOp(c.c, token.REM, mod)
	if constant.Sign(w) < 0 {
		w = constant.BinaryOp(w, token.ADD, mod)
	}
	if signed && constant.Compare(w, token.GEQ, constant.Shift(constant.MakeInt64(1), token.SHL, bits-1)) {
		w = constant.BinaryOp(w, token.SUB, mod)
	}
	return constV{w}
}

// intWidth is the width in bits of integer type t and whether it is
// signed (0 for other types; int, uint and uintptr are 64 bits, as on the
// platforms Go mostly runs on).
func intWidth(t types.Type) (uint, bool) {
	b, ok := t.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsInteger == 0 || b.Info()&types.IsUntyped != 0 {
		return 0, false
	}
	signed := b.Info()&types.IsUnsigned == 0
	switch b.Kind() {
	case types.Int8, types.Uint8:
		return 8, signed
	case types.Int16, types.Uint16:
		return 16, signed
	case types.Int32, types.Uint32:
		return 32, signed
	}
	return 64, signed
}

func constBinop(s *state, op token.Token, x, y constant.Value) value {
	defer func() { _ = recover() }() // mismatched kinds: unknown
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return boolV(constant.Compare(x, op, y))
	case token.SHL, token.SHR:
		if n, ok := constant.Uint64Val(y); ok && n < 64 {
			return constV{constant.Shift(x, op, uint(n))}
		}
	case token.QUO:
		if y.Kind() == constant.Int {
			if constant.Sign(y) == 0 {
				return s.newSym()
			}
			return constV{constant.BinaryOp(x, token.QUO_ASSIGN, y)}
		}
		return constV{constant.BinaryOp(x, op, y)}
	case token.REM:
		if constant.Sign(y) == 0 {
			return s.newSym()
		}
		return constV{constant.BinaryOp(x, op, y)}
	case token.ADD, token.SUB, token.MUL, token.AND, token.OR, token.XOR, token.AND_NOT:
		return constV{constant.BinaryOp(x, op, y)}
	}
	return s.newSym()
}

// identical reports whether x == y when the engine knows: two addresses,
// nil against an address, two functions.
func identical(x, y value) (eq, known bool) {
	switch x := x.(type) {
	case refV:
		switch y := y.(type) {
		case refV:
			return x == y, true
		case nilV, funcV:
			return false, true
		}
	case nilV:
		switch y.(type) {
		case nilV:
			return true, true
		case refV, funcV, intrinsicV:
			return false, true
		}
	case funcV, intrinsicV:
		if _, ok := y.(nilV); ok {
			return false, true
		}
	case ifaceV:
		if _, ok := y.(nilV); ok {
			return false, true
		}
	}
	if _, ok := x.(nilV); ok {
		if _, ok := y.(ifaceV); ok {
			return false, true
		}
	}
	return false, false
}

func flip(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.LEQ:
		return token.GEQ
	case token.GTR:
		return token.LSS
	case token.GEQ:
		return token.LEQ
	}
	return op
}

func negate(op token.Token) token.Token {
	switch op {
	case token.EQL:
		return token.NEQ
	case token.NEQ:
		return token.EQL
	case token.LSS:
		return token.GEQ
	case token.LEQ:
		return token.GTR
	case token.GTR:
		return token.LEQ
	case token.GEQ:
		return token.LSS
	}
	return op
}

// not is !x.
func not(x value) value {
	switch x := x.(type) {
	case constV:
		if b, ok := constBool(x); ok {
			return boolV(!b)
		}
	case cmpV:
		return cmpV{negate(x.op), x.x, x.y}
	case symV:
		return cmpV{token.EQL, x, falseV}
	}
	return cmpV{token.EQL, x, falseV}
}

// decide evaluates a branch condition from what the state knows.
func decide(s *state, c value) (val, known bool) {
	switch c := c.(type) {
	case constV:
		return constBool(c)
	case symV:
		if f, ok := s.facts[symID(c)]; ok && f.hasB {
			return f.b, true
		}
		return false, false
	case cmpV:
		if b, ok := s.conds[key(c)]; ok {
			return b, true
		}
		x, ok := c.x.(symV)
		if !ok {
			return false, false
		}
		f := s.facts[symID(x)]
		switch y := c.y.(type) {
		case nilV:
			switch {
			case f.isNil:
				return c.op == token.EQL, true
			case f.notNil:
				return c.op == token.NEQ, true
			}
		case constV:
			if b, ok := constBool(y); ok && f.hasB {
				return (f.b == b) == (c.op == token.EQL), true
			}
			if n, ok := constInt(y); ok {
				return f.compare(c.op, n)
			}
		}
	}
	return false, false
}

// compare decides v op n from the interval known for v.
func (f fact) compare(op token.Token, n int64) (val, known bool) {
	switch op {
	case token.LSS:
		if f.hasHi && f.hi < n {
			return true, true
		}
		if f.hasLo && f.lo >= n {
			return false, true
		}
	case token.LEQ:
		return f.compare(token.LSS, n+1)
	case token.GTR:
		v, k := f.compare(token.LEQ, n)
		return !v, k
	case token.GEQ:
		v, k := f.compare(token.LSS, n)
		return !v, k
	case token.EQL:
		if f.hasLo && f.hasHi && f.lo == n && f.hi == n {
			return true, true
		}
		if (f.hasLo && f.lo > n) || (f.hasHi && f.hi < n) {
			return false, true
		}
	case token.NEQ:
		v, k := f.compare(token.EQL, n)
		return !v, k
	}
	return false, false
}

// learn records that condition c is b.
func learn(s *state, c value, b bool) {
	switch c := c.(type) {
	case symV:
		f := s.facts[symID(c)]
		f.b, f.hasB = b, true
		s.facts[symID(c)] = f
	case cmpV:
		s.conds[key(c)] = b
		s.conds[key(cmpV{negate(c.op), c.x, c.y})] = !b
		x, ok := c.x.(symV)
		if !ok {
			return
		}
		op := c.op
		if !b {
			op = negate(op)
		}
		f := s.facts[symID(x)]
		switch y := c.y.(type) {
		case nilV:
			if op == token.EQL {
				f.isNil = true
			} else {
				f.notNil = true
			}
		case constV:
			if bv, ok := constBool(y); ok {
				f.b, f.hasB = bv == (op == token.EQL), true
			} else if n, ok := constInt(y); ok {
				f.narrow(op, n)
			}
		default:
			return
		}
		s.facts[symID(x)] = f
	}
}

// narrow intersects the interval with v op n.
func (f *fact) narrow(op token.Token, n int64) {
	lo := func(v int64) {
		if !f.hasLo || v > f.lo {
			f.lo, f.hasLo = v, true
		}
	}
	hi := func(v int64) {
		if !f.hasHi || v < f.hi {
			f.hi, f.hasHi = v, true
		}
	}
	switch op {
	case token.LSS:
		hi(n - 1)
	case token.LEQ:
		hi(n)
	case token.GTR:
		lo(n + 1)
	case token.GEQ:
		lo(n)
	case token.EQL:
		lo(n)
		hi(n)
	}
}

// key is a canonical text of a value, for hashing states and keying facts.
func key(v value) string {
	var b strings.Builder
	writeKey(&b, v)
	return b.String()
}

func writeKey(b *strings.Builder, v value) {
	switch v := v.(type) {
	case nil:
		b.WriteString("_")
	case symV:
		b.WriteString("$")
		b.WriteString(strconv.Itoa(int(v)))
	case constV:
		if v.c == nil {
			b.WriteString("c?")
		} else {
			b.WriteString(v.c.ExactString())
		}
	case nilV:
		b.WriteString("nil")
	case refV:
		b.WriteString("&")
		b.WriteString(strconv.Itoa(int(v.obj)))
		b.WriteString(v.path)
	case funcV:
		if v.fn != nil {
			// Name and position tell the package's functions apart,
			// without the cost of String.
			b.WriteString(v.fn.Name())
			b.WriteString(strconv.Itoa(int(v.fn.Pos())))
		}
		b.WriteString("@")
		b.WriteString(strconv.Itoa(int(v.env)))
	case ifaceV:
		b.WriteString("i(")
		writeKey(b, v.v)
		b.WriteString(")")
	case aggrV:
		b.WriteString("{")
		for _, f := range v.fields {
			writeKey(b, f)
			b.WriteString(",")
		}
		b.WriteString("}")
	case tupleV:
		b.WriteString("(")
		for _, f := range v.vs {
			writeKey(b, f)
			b.WriteString(",")
		}
		b.WriteString(")")
	case cmpV:
		b.WriteString("[")
		writeKey(b, v.x)
		b.WriteString(v.op.String())
		writeKey(b, v.y)
		b.WriteString("]")
	case intrinsicV:
		fmt.Fprintf(b, "intr%d:%d", v.kind, v.obj)
	default:
		fmt.Fprintf(b, "%v", v)
	}
}
