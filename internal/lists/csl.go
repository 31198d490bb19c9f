package lists

import (
	"context"
	"strings"
	"time"
)

// cslRequired are the CSL columns without which a row cannot be read; the
// other columns of the 29 are read when present, so that trade.gov adding
// or moving a column does not break the load.
var cslRequired = []string{"_id", "source", "name"}

// loadCSL reads the trade.gov Consolidated Screening List CSV (plain or
// gzip). skip maps list codes to the Skipped reason under which their rows
// are left out (lists loaded from OFAC's own files instead). The snapshot
// date is the newest start_date not after notAfter (YYYY-MM-DD; "" for no
// limit).
func loadCSL(ctx context.Context, path string, data []byte, lookup func(string) (string, bool), skip map[string]string, notAfter string) (*setResult, error) {
	f, err := openCSV(path, data, 0)
	if err != nil {
		return nil, err
	}
	header, err := f.header()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, h := range cslRequired {
		if _, ok := col[h]; !ok {
			return nil, errAt(path, 1, "no %q column: not a CSL export", h)
		}
	}
	f.fields = len(header)
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}

	cc := newCountries(lookup)
	entries := make([]Entry, 0, len(data)/400)
	var (
		rawIDs         []string // per entry, parsed once the file's id layout is known
		typeFirstVotes int
		snapshot       string
		rows           int
	)
	skipped := map[string]int{}
	bySource := map[string]int{} // entries kept
	rowsBy := map[string]int{}   // every row
	err = f.each(ctx, func(rec []string) error {
		rows++
		if d := get(rec, "start_date"); d > snapshot && (notAfter == "" || d <= notAfter) && isDate(d) {
			snapshot = d
		}
		source := get(rec, "source")
		if source == "" {
			return errAt(path, f.line, "row has no source")
		}
		code, ok := cslSources[source]
		if !ok {
			code = sourceCode(source)
		}
		rowsBy[code]++
		if reason, ok := skip[code]; ok {
			skipped[reason]++
			return nil
		}
		e := Entry{
			ID:                    get(rec, "_id"),
			List:                  code,
			ListName:              source,
			Type:                  strings.ToLower(get(rec, "type")),
			Name:                  get(rec, "name"),
			Programs:              splitList(get(rec, "programs")),
			Remarks:               get(rec, "remarks"),
			FederalRegisterNotice: get(rec, "federal_register_notice"),
			StartDate:             get(rec, "start_date"),
			EndDate:               get(rec, "end_date"),
			LicenseRequirement:    get(rec, "license_requirement"),
			LicensePolicy:         get(rec, "license_policy"),
			SourceURL:             get(rec, "source_list_url"),
		}
		if e.ID == "" || e.Name == "" {
			return errAt(path, f.line, "row has no _id or no name")
		}
		if e.Type == "" {
			e.Type = "entity" // BIS and State rows leave type empty
		}
		for _, a := range splitList(get(rec, "alt_names")) {
			if a = strings.TrimSpace(strings.TrimPrefix(a, "and ")); a != e.Name {
				e.Aliases = appendUnique(e.Aliases, a)
			}
		}
		// Entity List rows for affiliates read "Parent (Short).  Affiliated
		// Entity:  Affiliate"; the affiliate is the party listed on that row,
		// so its name is added as an alias for the matcher to find.
		if _, aff, ok := strings.Cut(e.Name, "Affiliated Entity:"); ok {
			e.Aliases = appendUnique(e.Aliases, strings.TrimSpace(aff))
		}
		for _, a := range splitList(get(rec, "addresses")) {
			a = strings.TrimSpace(strings.TrimPrefix(a, "and "))
			if a == "" {
				continue
			}
			e.Addresses = append(e.Addresses, a)
			e.Countries = appendUnique(e.Countries, addressCountry(a, cc))
		}
		for _, c := range splitList(get(rec, "citizenships")) {
			e.Countries = appendUnique(e.Countries, cc.code(c, true))
		}
		for _, c := range splitList(get(rec, "nationalities")) {
			e.Countries = appendUnique(e.Countries, cc.code(c, true))
		}
		ids := get(rec, "ids")
		typeFirstVotes += idLayoutVote(ids)
		rawIDs = append(rawIDs, ids)
		bySource[code]++
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	typeFirst := typeFirstVotes > 0
	for i, s := range rawIDs {
		entries[i].IDs = parseCSLIDs(s, typeFirst)
	}
	return &setResult{
		entries: entries,
		records: map[string]int{"consolidated.csv": rows},
		total:   rows,
		byList:  rowsBy,
		info: ListInfo{
			ID:               SetCSL,
			Name:             setNames[SetCSL],
			Files:            []string{path},
			Snapshot:         snapshot,
			Entries:          len(entries),
			BySource:         bySource,
			Skipped:          nilIfEmpty(skipped),
			UnknownCountries: nilIfEmpty(cc.unknown),
		},
	}, nil
}

// splitList splits a CSL multi-value field ("a; b; c").
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for p := range strings.SplitSeq(s, "; ") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sourceCode takes the short code out of a source name the table does not
// know yet ("New List (NL) - Agency" gives "NL"), so a list trade.gov adds
// is loaded rather than dropped.
func sourceCode(source string) string {
	if i := strings.Index(source, "("); i >= 0 {
		if j := strings.Index(source[i:], ")"); j > 1 {
			return strings.TrimSuffix(source[i+1:i+j], " List")
		}
	}
	return source
}

// addressCountry reads the country of a CSL address from its last
// comma-separated part, normally an ISO-2 code ("..., Shenzhen, 518129,
// CN"), sometimes a name ("..., China") or a name with a postcode
// ("China 610036"). DPL addresses of US prisons often end in a ZIP code.
func addressCountry(a string, cc *countries) string {
	tail := a
	if i := strings.LastIndex(a, ","); i >= 0 {
		tail = strings.TrimSpace(a[i+1:])
	}
	if code := cc.code(tail, isISO2(tail)); code != "" || !strings.ContainsAny(tail, "0123456789") {
		return code
	}
	var words []string
	for w := range strings.FieldsSeq(tail) {
		if !strings.ContainsAny(w, "0123456789") {
			words = append(words, w)
		}
	}
	return cc.code(strings.Join(words, " "), false)
}

func isISO2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// isDate reports whether s is a valid YYYY-MM-DD date.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// The CSL ids column is "; "-separated items of ", "-separated parts, and
// trade.gov changed their order: the 2022 export writes "[country, ]number,
// type" (e.g. "CN, 91110000MA005UCQ5P, Unified Social Credit Code (USCC)"),
// the 2025 export "type, number[, country]" ("Passport, 836238033, KP").
// Items show which: the side holding the ISO-2 code of a three-part item,
// or the side holding a known label ("Passport", "Gender") of a two-part
// one. Positive votes mean type first.
func idLayoutVote(ids string) int {
	vote := 0
	for item := range strings.SplitSeq(ids, "; ") {
		parts := strings.Split(item, ", ")
		var typeFirst, typeLast bool
		switch len(parts) {
		case 3: // the country sits at the other end from the type
			typeFirst, typeLast = isISO2(parts[2]), isISO2(parts[0])
		case 2:
			typeFirst, typeLast = knownLabels[parts[0]], knownLabels[parts[1]]
		}
		switch {
		case typeFirst && !typeLast:
			vote++
		case typeLast && !typeFirst:
			vote--
		}
	}
	return vote
}

var knownLabels = func() map[string]bool {
	m := map[string]bool{"Gender": true, "Target Type": true}
	for _, t := range idTypes {
		m[t] = true
	}
	return m
}()

func parseCSLIDs(ids string, typeFirst bool) []Identifier {
	var out []Identifier
	for item := range strings.SplitSeq(ids, "; ") {
		parts := strings.Split(item, ", ")
		var id Identifier
		switch {
		case len(parts) == 2 && typeFirst:
			id = Identifier{Type: parts[0], Number: parts[1]}
		case len(parts) == 2:
			id = Identifier{Type: parts[1], Number: parts[0]}
		case len(parts) == 3 && typeFirst && isISO2(parts[2]):
			id = Identifier{Type: parts[0], Number: parts[1], Country: parts[2]}
		case len(parts) == 3 && !typeFirst && isISO2(parts[0]):
			id = Identifier{Type: parts[2], Number: parts[1], Country: parts[0]}
		default:
			continue // free text (directive notes) with commas of its own
		}
		id.Type, id.Number = strings.TrimSpace(id.Type), strings.TrimSpace(id.Number)
		if id.Number != "" && isIDType(id.Type) {
			out = append(out, id)
		}
	}
	return out
}

// isIDType tells identifiers from the descriptive items the ids column
// also carries (gender, dates, directive notes, target type).
func isIDType(t string) bool {
	switch {
	case t == "", strings.HasSuffix(t, ":"), strings.HasSuffix(t, "-"),
		strings.Contains(t, "Date"),
		strings.HasPrefix(t, "Executive Order"),
		strings.HasPrefix(t, "Secondary sanctions risk"),
		strings.HasPrefix(t, "Transactions Prohibited"),
		strings.HasPrefix(t, "Additional Sanctions Information"),
		strings.HasPrefix(t, "CAATSA Section"):
		return false
	}
	switch t {
	case "Gender", "Target Type", "Issuer Name", "Organization Type":
		return false
	}
	return true
}
