// Package licenses is the license register: the licenses BIS issued to
// the exporter, with their scope, as the compliance team keeps them
// (docs/licenses.md). Load reads and validates a register (YAML or CSV,
// one file or a directory); a Ledger matches the license claims of orders,
// in input order, against it and draws each license down, giving the facts
// the policy judges (data.chipcheck.license). Nothing here decides an
// order: Go finds the license and measures the claim against it, Rego says
// what that means.
package licenses

import (
	"regexp"
	"strings"

	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// Movement types a license authorizes: block 5 of a BIS license
// application (form BIS-748P) is one of export, reexport or in-country
// transfer.
const (
	Export   = "export"
	Reexport = "reexport"
	Transfer = "transfer"
)

// Types are the license types a register may give, in the order docs list them.
var Types = []string{Export, Reexport, Transfer}

// License is one license of the register.
type License struct {
	Number       string   // as written; matched by Key
	Type         string   // export, reexport or transfer
	Issued       string   // YYYY-MM-DD: valid from this date
	Expires      string   // YYYY-MM-DD: valid before this date
	Destinations []string // ISO country codes the license authorizes
	Consignee    string   // the ultimate consignee the license names
	EndUser      string   // the end user it names; "" when it names none
	ECCNs        []string // ECCNs it covers (3A090 covers 3A090.a and 3A090.a.1)
	SKUs         []string // SKUs it covers, whatever their ECCN
	// Limits (nil: the license states none) and what earlier shipments,
	// outside this run, have already used of them.
	Quantity     *float64
	ValueUSD     *float64
	UsedQuantity float64
	UsedValueUSD float64
	Conditions   string
	File         string // where it was read
	Line         int
	field        string // the path of its fields in messages ("licenses.3.")
}

// Register is a validated license register.
type Register struct {
	Origin   string // the file or directory it was read from
	licenses map[string]*License
}

// Len is the number of licenses in the register.
func (r *Register) Len() int { return len(r.licenses) }

// Find returns the license with number n (see Key), if any.
func (r *Register) Find(n string) (*License, bool) {
	l, ok := r.licenses[Key(n)]
	return l, ok
}

// Key is the form in which license numbers are compared: trimmed, upper
// case, inner whitespace removed. "d 123456" and "D123456" are one license;
// "D-123456" is another (punctuation may be part of a number).
func Key(n string) string {
	return strings.ToUpper(strings.Join(strings.Fields(n), ""))
}

// placeholder matches what people write when they have no license number:
// N/A, pending, TBD, 0, -, and the like. Such a "number" is an input
// problem, never a license.
var placeholder = regexp.MustCompile(`(?i)^(n/?a|none|nil|null|pending|applied|tb[acd]|to be (assigned|determined|confirmed)|unknown|x+|0+|[-_.?*/#]+)$`)

// Placeholder reports whether a license number is a placeholder rather
// than a number (case-insensitive, surrounding space ignored).
func Placeholder(n string) bool {
	return placeholder.MatchString(strings.TrimSpace(n))
}

// PartyKey is the form in which party names are compared: the screening
// normalisation (case, accents, punctuation, spacing, abbreviations)
// without legal forms, so "Acme Compute Pte. Ltd." and "ACME COMPUTE PTE
// LTD" are one name and "Acme Compute" is the same party.
func PartyKey(name string) string {
	n := prepare.Normalize(name, false, prepare.DefaultTransliterator())
	var words []string
	for _, t := range n.Tokens {
		if t.Class != prepare.Legal {
			words = append(words, t.Text)
		}
	}
	return strings.Join(words, " ")
}

// eccnPattern is the shape of an ECCN (3A090, 3A090.a, 4A090.b.2) or EAR99.
var eccnPattern = regexp.MustCompile(`^([0-9][A-E][0-9]{3}(\.[a-z0-9]+)*|EAR99)$`)

// coversECCN reports whether a license ECCN covers an item's ECCN or
// paragraph: the same, or a parent of it (3A090 covers 3A090.a.1).
func coversECCN(lic, item string) bool {
	return item != "" && (item == lic || strings.HasPrefix(item, lic+"."))
}
