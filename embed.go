// Package chipcheck holds the built-in policies and rule data. The binary
// embeds them, so that it decides with them from any directory (and after
// `go install`) unless --policies or --rules name directories to use
// instead.
package chipcheck

import (
	"embed"
	"io/fs"
)

//go:embed policies rules
var builtin embed.FS

// Policies is the built-in policies/ directory.
func Policies() fs.FS { return sub("policies") }

// Rules is the built-in rules/ directory.
func Rules() fs.FS { return sub("rules") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(builtin, dir)
	if err != nil {
		// fs.Sub fails only on an invalid path; dir is a constant.
		panic(err)
	}
	return f
}
