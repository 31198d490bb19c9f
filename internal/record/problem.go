package record

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with the input: a file that cannot be read, a
// syntax error, or a field that fails validation. Line is 0 when the
// problem concerns the whole file; Field is the dotted path of the field
// (e.g. "items.0.chip.performance.1.bits") or empty.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error formats p as "file:line: field: msg", leaving out empty parts, so
// editors and CI annotators can jump to the spot.
func (p Problem) Error() string {
	var sb strings.Builder
	if p.File != "" {
		sb.WriteString(p.File)
		if p.Line > 0 {
			sb.WriteByte(':')
			sb.WriteString(strconv.Itoa(p.Line))
		}
		sb.WriteString(": ")
	} else if p.Line > 0 {
		sb.WriteString("line ")
		sb.WriteString(strconv.Itoa(p.Line))
		sb.WriteString(": ")
	}
	if p.Field != "" {
		sb.WriteString(p.Field)
		sb.WriteString(": ")
	}
	sb.WriteString(p.Msg)
	return sb.String()
}

// Problems is every problem found in one Read. It implements error; a nil
// or empty Problems means none. Because a nil Problems stored in an error
// interface is not a nil error, convert with Err.
type Problems []Problem

// Error lists the problems one per line, sorted by file, then line.
func (ps Problems) Error() string {
	sorted := slices.Clone(ps)
	sortProblems(sorted)
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns ps as an error, or nil when there are no problems.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// sortProblems orders problems by file, then line; ties keep the order in
// which they were found.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
