//go:build !unix

package spool

import "os"

// appends is false where the open flags cannot be read: such a file is
// written in place only when its offset is at its end.
func appends(*os.File) bool { return false }
