package rules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/record"
)

// Problem is one thing wrong with the rule data. It is the shape input
// problems have (package record), so a caller prints both the same way:
// "rules/screening.yaml:41: screening.lists.EL.outcome: required". File is
// the file as the Set names it (filepath.Join(Set.Dir, name)); Line is the
// line of the offending key or value (0 only for a problem with the whole
// file, such as a missing one); Field is the dotted path of the value in
// data.rules, list indices included ("license.destination.2.from").
type Problem = record.Problem

// Problems is every problem Load found. Its Error lists them one per
// line, sorted by file, then line; a caller that wants to print them
// itself ranges over the slice (errors.As(err, &probs)), which Load
// returns in the same order.
type Problems = record.Problems

// sortProblems orders problems by file, then line; ties keep the order in
// which they were found.
func sortProblems(ps Problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
