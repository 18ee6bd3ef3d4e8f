package scenarios

import "sync"

// Constants the program computes with decide its paths: a constant string
// indexed or converted to bytes, integer arithmetic that wraps at the
// type's width, shifts by the width or more.

var (
	table     map[string]int
	tableOnce sync.Once
)

func initTable() { table = map[string]int{} } // race

// validByte tests c against a 128-bit mask, as net/textproto does.
func validByte(c byte) bool {
	const mask = 1<<'a' | 1<<'b'
	return ((uint64(1)<<c)&(mask&(1<<64-1)) | (uint64(1)<<(c-64))&(mask>>64)) != 0
}

func canon(k string) {
	for _, c := range []byte(k) {
		if !validByte(c) {
			return
		}
	}
	for i := 0; i < len(k); i++ {
		if k[i] == '-' {
			return
		}
	}
	tableOnce.Do(initTable)
}

// RaceOKConstantKey: both keys are valid, so both calls run Do, which
// orders the read after the write.
func RaceOKConstantKey() bool {
	go canon("ab")
	canon("ba")
	return table == nil
}

// RaceInvalidKey: the caller's key is not valid, so only the goroutine
// runs Do.
func RaceInvalidKey() bool {
	go canon("ab")
	canon("a-")
	return table == nil // race
}
