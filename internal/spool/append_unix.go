//go:build unix

package spool

import (
	"os"

	"golang.org/x/sys/unix"
)

// appends reports whether f was opened to append (a shell's `>>`): every
// write then lands at the end, whatever the offset says (0 until the
// first write).
func appends(f *os.File) bool {
	fl, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	return err == nil && fl&unix.O_APPEND != 0
}
