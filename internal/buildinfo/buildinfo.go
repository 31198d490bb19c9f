// Package buildinfo says which chipcheck this is: the module version and
// the VCS revision the binary was built from, as Go records them.
package buildinfo

import (
	"runtime/debug"
	"sync"
)

// Info is the build of the running binary.
type Info struct {
	Module   string `json:"module"`
	Version  string `json:"version"`            // module version, "(devel)" for a local build
	Revision string `json:"revision,omitempty"` // VCS commit
	Modified bool   `json:"modified,omitempty"` // built from a working tree with changes
	Go       string `json:"go"`
}

var read = sync.OnceValue(func() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "unknown"}
	}
	info := Info{Module: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	return info
})

// Read returns the build of the running binary.
func Read() Info { return read() }

// String is "VERSION (REVISION[+modified])", as decisions record it.
func (i Info) String() string {
	s := i.Version
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if i.Modified {
			rev += "+modified"
		}
		s += " (" + rev + ")"
	}
	return s
}
