package lists

import (
	"context"
	"strings"
	"sync"
)

// OFAC legacy CSV layouts (no header row): sdn.csv and cons_prim.csv have
// 12 columns, add 6, alt 5, comments 2. The columns used here:
const (
	primEntNum, primName, primType, primProgram, primRemarks = 0, 1, 2, 3, 11
	primFields                                               = 12

	addEntNum, addAddress, addCity, addCountry = 0, 2, 3, 4
	addFields                                  = 6

	altEntNum, altName = 0, 3
	altFields          = 5

	cmtEntNum, cmtText = 0, 1
	cmtFields          = 2
)

type ofacAddress struct {
	ent     int
	text    string
	country string // ISO-2, "" if unknown
}

type ofacText struct {
	ent  int
	text string
}

// loadOFAC reads one legacy OFAC set (SDN or consolidated non-SDN): the
// primary file, then addresses, aliases and comments joined on ent_num.
// files and data are in setFiles order. Rows of the companion files whose
// ent_num has no primary record are skipped and counted: OFAC publishes the
// four files together, but mirrors (and the shared snapshot) mix dates.
func loadOFAC(ctx context.Context, set string, files []string, data [][]byte, lookup func(string) (string, bool)) (*setResult, error) {
	res := &setResult{records: map[string]int{}}
	var (
		entries  []Entry
		index    map[int]int
		adds     []ofacAddress
		alts     []ofacText
		comments []ofacText
		addCC    = newCountries(lookup)
		errs     [4]error
		wg       sync.WaitGroup
	)
	// The four files are independent until the join, so they parse in
	// parallel; sdn.csv alone is about half the work.
	wg.Add(4)
	go func() {
		defer wg.Done()
		entries, index, errs[0] = readOFACPrimary(ctx, files[0], data[0], res)
	}()
	go func() {
		defer wg.Done()
		adds, errs[1] = readOFACAddresses(ctx, files[1], data[1], addCC)
	}()
	go func() {
		defer wg.Done()
		alts, errs[2] = readOFACText(ctx, files[2], data[2], altFields, altEntNum, altName)
	}()
	go func() {
		defer wg.Done()
		comments, errs[3] = readOFACText(ctx, files[3], data[3], cmtFields, cmtEntNum, cmtText)
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names := setFiles(set)
	res.records[names[0]] = len(entries)
	res.records[names[1]] = len(adds)
	res.records[names[2]] = len(alts)
	res.records[names[3]] = len(comments)

	skipped := map[string]int{}
	orphans := func(reason string, ents []int) {
		if len(ents) == 0 {
			return
		}
		distinct := map[int]bool{}
		for _, e := range ents {
			distinct[e] = true
		}
		skipped[reason] = len(distinct)
		skipped[reason+"_rows"] = len(ents)
	}
	var orphanAdd, orphanAlt, orphanCmt []int
	for _, a := range adds {
		i, ok := index[a.ent]
		if !ok {
			orphanAdd = append(orphanAdd, a.ent)
			continue
		}
		e := &entries[i]
		if a.text != "" {
			e.Addresses = append(e.Addresses, a.text)
		}
		e.Countries = appendUnique(e.Countries, a.country)
	}
	for _, a := range alts {
		i, ok := index[a.ent]
		if !ok {
			orphanAlt = append(orphanAlt, a.ent)
			continue
		}
		e := &entries[i]
		if name := strings.TrimSpace(a.text); name != "" && name != e.Name {
			e.Aliases = appendUnique(e.Aliases, name)
		}
	}
	for _, c := range comments {
		i, ok := index[c.ent]
		if !ok {
			orphanCmt = append(orphanCmt, c.ent)
			continue
		}
		// Remarks_Extended continues Remarks mid-word: join without a separator.
		entries[i].Remarks += c.text
	}
	orphans("orphan_address", orphanAdd)
	orphans("orphan_alias", orphanAlt)
	orphans("orphan_comment", orphanCmt)

	cc := newCountries(lookup)
	bySource := map[string]int{}
	for i := range entries {
		e := &entries[i]
		e.Remarks = strings.TrimSpace(e.Remarks)
		parseRemarks(e, cc)
		if set == SetSDN {
			e.List, e.SourceURL = "SDN", sdnListURL
		} else {
			e.List, e.SourceURL = nonSDNList(e.Programs), consListURL
		}
		e.ListName = listNames[e.List]
		bySource[e.List]++
	}

	res.entries = entries
	res.total, res.byList = len(entries), bySource
	res.info = ListInfo{
		ID:               set,
		Name:             setNames[set],
		Files:            files,
		Entries:          len(entries),
		BySource:         bySource,
		Skipped:          nilIfEmpty(skipped),
		UnknownCountries: nilIfEmpty(mergeCounts(addCC.unknown, cc.unknown)),
	}
	return res, nil
}

func readOFACPrimary(ctx context.Context, path string, data []byte, res *setResult) ([]Entry, map[int]int, error) {
	f, err := openOFAC(path, data, primFields)
	if err != nil {
		return nil, nil, err
	}
	entries := make([]Entry, 0, len(data)/250) // about 250 bytes a record
	index := make(map[int]int, cap(entries))
	err = f.each(ctx, func(rec []string) error {
		ent, err := f.entNum(rec[primEntNum])
		if err != nil {
			return err
		}
		if _, dup := index[ent]; dup {
			return errAt(path, f.line, "ent_num %d appears twice", ent)
		}
		name := strings.TrimSpace(ofacValue(rec[primName]))
		if name == "" {
			return errAt(path, f.line, "ent_num %d has no name", ent)
		}
		index[ent] = len(entries)
		entries = append(entries, Entry{
			ID:       strings.TrimSpace(rec[primEntNum]),
			Type:     ofacType(rec[primType]),
			Name:     name,
			Programs: splitPrograms(ofacValue(rec[primProgram])),
			Remarks:  ofacValue(rec[primRemarks]), // trimmed after sdn_comments is appended
		})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return entries, index, nil
}

func readOFACAddresses(ctx context.Context, path string, data []byte, cc *countries) ([]ofacAddress, error) {
	f, err := openOFAC(path, data, addFields)
	if err != nil {
		return nil, err
	}
	out := make([]ofacAddress, 0, len(data)/65)
	var parts []string
	err = f.each(ctx, func(rec []string) error {
		ent, err := f.entNum(rec[addEntNum])
		if err != nil {
			return err
		}
		parts = parts[:0]
		for _, col := range []int{addAddress, addCity, addCountry} {
			if v := strings.TrimSpace(ofacValue(rec[col])); v != "" {
				parts = append(parts, v)
			}
		}
		out = append(out, ofacAddress{
			ent:     ent,
			text:    strings.Join(parts, ", "),
			country: cc.code(ofacValue(rec[addCountry]), true),
		})
		return nil
	})
	return out, err
}

// readOFACText reads alt.csv or the comments file: ent_num plus one text
// column.
func readOFACText(ctx context.Context, path string, data []byte, fields, entCol, textCol int) ([]ofacText, error) {
	f, err := openOFAC(path, data, fields)
	if err != nil {
		return nil, err
	}
	out := make([]ofacText, 0, len(data)/50)
	err = f.each(ctx, func(rec []string) error {
		ent, err := f.entNum(rec[entCol])
		if err != nil {
			return err
		}
		out = append(out, ofacText{ent: ent, text: ofacValue(rec[textCol])})
		return nil
	})
	return out, err
}

func ofacType(s string) string {
	switch t := strings.ToLower(strings.TrimSpace(ofacValue(s))); t {
	case "individual", "vessel", "aircraft":
		return t
	default:
		return "entity" // OFAC writes -0- for entities
	}
}

// splitPrograms splits OFAC's "PROG1] [PROG2" program field.
func splitPrograms(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, "] [") {
		p = strings.Trim(strings.TrimSpace(p), "[]")
		out = appendUnique(out, strings.TrimSpace(p))
	}
	return out
}

// nonSDNList derives the sub-list of an OFAC consolidated non-SDN record
// from its programs: the legacy files do not name the list, and the CSL
// assigns the same records this way (checked against the 2022 CSL for every
// ent_num the two share). Order matters: a CMIC, PLC or FSE program decides
// over the Russia/Ukraine programs that often come with it, and MBS over
// UKRAINE-EO13662. EO 14024 alone is the menu-based list (Central Bank,
// Ministry of Finance, National Wealth Fund); CAPTA entries under EO 14024
// Directive 2 cannot be told apart by program and land there too.
func nonSDNList(programs []string) string {
	has := func(pred func(string) bool) bool {
		for _, p := range programs {
			if pred(p) {
				return true
			}
		}
		return false
	}
	is := func(names ...string) func(string) bool {
		return func(p string) bool {
			for _, n := range names {
				if p == n {
					return true
				}
			}
			return false
		}
	}
	switch {
	case has(is("CMIC-EO13959")):
		return "CMIC"
	case has(is("NS-PLC")):
		return "PLC"
	case has(func(p string) bool { return strings.HasPrefix(p, "FSE-") }):
		return "FSE"
	case has(is("561-Related")):
		return "CAP"
	case has(func(p string) bool {
		return p == "MBS" || strings.HasPrefix(p, "CAATSA") || p == "BURMA-EO14014" || p == "ILLICIT-DRUGS-EO14059"
	}):
		return "MBS"
	case has(is("UKRAINE-EO13662")):
		return "SSI"
	case has(is("RUSSIA-EO14024")):
		return "MBS"
	}
	return "NONSDN"
}

// idTypes are the identifier labels OFAC writes in Remarks as
// "<label> <number> (<country>)"; other remark parts (DOB, Linked To,
// directive text, ...) are left in Remarks only.
var idTypes = []string{
	"Passport", "National ID No.", "Tax ID No.", "Registration Number", "Registration ID",
	"Business Registration Number", "Business Number", "Company Number", "Government Gazette Number",
	"Unified Social Credit Code (USCC)", "Legal Entity Number", "Commercial Registry Number",
	"Economic Register Number (CBLS)", "Central Registration System Number", "Chamber of Commerce Number",
	"Istanbul Chamber of Comm. No.", "Trade License No.", "Public Registration Number",
	"Certificate of Incorporation Number", "V.A.T. Number", "C.R. No.", "D.N.I.", "C.U.R.P.", "R.F.C.",
	"Cedula No.", "NIT #", "RUC #", "RIF #", "Folio Mercantil No.", "Matricula Mercantil No",
	"Identification Number", "Driver's License No.", "SWIFT/BIC", "BIK (RU)", "ISIN", "D-U-N-S Number",
	"Vessel Registration Identification", "MMSI", "Aircraft Manufacturer's Serial Number (MSN)",
	"Aircraft Tail Number", "Website", "Email Address",
}

// idTypesByWord indexes idTypes by their first word, so each remark part
// is compared with a few labels rather than all of them.
var idTypesByWord = func() map[string][]string {
	m := map[string][]string{}
	for _, t := range idTypes {
		w, _, _ := strings.Cut(t, " ")
		m[w] = append(m[w], t)
	}
	return m
}()

// parseRemarks takes identifiers and nationality/citizenship countries out
// of an OFAC Remarks field ("DOB 1956; Passport N302083 (Thailand);
// nationality Iran; ..."), leaving Remarks itself as published.
func parseRemarks(e *Entry, cc *countries) {
	rest := e.Remarks
	for rest != "" {
		var seg string
		seg, rest, _ = strings.Cut(rest, "; ")
		seg = strings.TrimSuffix(strings.TrimSpace(seg), ".")
		seg = strings.TrimPrefix(seg, "alt. ")
		word, value, ok := strings.Cut(seg, " ")
		if !ok {
			continue
		}
		if word == "nationality" || word == "citizen" {
			e.Countries = appendUnique(e.Countries, cc.code(value, true))
			continue
		}
		for _, t := range idTypesByWord[word] {
			if len(seg) <= len(t)+1 || !strings.HasPrefix(seg, t) || seg[len(t)] != ' ' {
				continue
			}
			id := Identifier{Type: t, Number: strings.TrimSpace(seg[len(t)+1:])}
			if strings.HasSuffix(id.Number, ")") {
				if i := strings.LastIndex(id.Number, " ("); i > 0 {
					country := id.Number[i+2 : len(id.Number)-1]
					id.Number = id.Number[:i]
					// Not reported when unknown: Colombian registry numbers name a city here.
					if id.Country = cc.code(country, false); id.Country == "" {
						id.Country = country
					}
				}
			}
			if id.Number != "" {
				e.IDs = append(e.IDs, id)
			}
			break
		}
	}
}

func nilIfEmpty(m map[string]int) map[string]int {
	if len(m) == 0 {
		return nil
	}
	return m
}

func mergeCounts(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] += v
		}
	}
	return out
}
