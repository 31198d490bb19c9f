package record

import (
	"fmt"
	"slices"

	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xrash/smetrics"
)

// builder turns record nodes into typed records, validating as it goes. It
// records every problem rather than stopping at the first, so a user fixes
// a file in one round.
type builder struct {
	file  string
	vocab Vocabulary
	kind  string    // Options.Kind: the kind of records that carry none
	dates [2]string // Options.Dates
	probs []Problem
}

// path is the dotted field path of a node, built lazily: the chain lives
// on the stack and is only turned into a string when a problem needs it.
type path struct {
	up    *path
	key   string // "" for a list element
	index int
}

func (p *path) k(key string) path { return path{up: p, key: key} }
func (p *path) at(i int) path     { return path{up: p, index: i} }

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var sb strings.Builder
	p.write(&sb)
	return sb.String()
}

// write is recursive rather than a loop over p.up: a loop makes the
// compiler think every path escapes, and paths are meant to stay on the
// stack.
func (p *path) write(sb *strings.Builder) {
	if p.up != nil {
		p.up.write(sb)
		sb.WriteByte('.')
	}
	if p.key != "" {
		sb.WriteString(p.key)
	} else {
		sb.WriteString(strconv.Itoa(p.index))
	}
}

func (b *builder) add(line int, f *path, format string, args ...any) {
	b.probs = append(b.probs, Problem{File: b.file, Line: line, Field: f.String(), Msg: fmt.Sprintf(format, args...)})
}

// build validates one record node. ok is false if it had any problem; the
// problems are appended to b.probs.
func (b *builder) build(n *node, line int) (rec Record, ok bool) {
	start := len(b.probs)
	rec.Source = Source{File: b.file, Line: line}
	if n.kind != mapNode {
		b.add(line, nil, "expected a mapping (one record), got %s", describe(n))
		return rec, false
	}
	kind, kindLine, badType := "", line, false
	if kn := b.field(n, nil, "kind"); kn != nil {
		f := path{key: "kind"}
		kind, kindLine = strings.ToLower(b.text(kn, &f)), kn.line
		badType = kn.kind > boolNode // reported by text
	} else {
		kind = strings.ToLower(strings.TrimSpace(b.kind))
	}
	rec.Kind = kind
	switch {
	case badType:
	case kind == KindOrder:
		rec.Order = b.order(n)
		rec.ID = rec.Order.ID
	case kind == KindChip:
		rec.Chip = b.chipRecord(n)
		if rec.Chip != nil {
			rec.ID = rec.Chip.ID
		}
	case kind == "":
		f := path{key: "kind"}
		b.add(line, &f, "required: give kind: order or kind: chip (or --kind for the whole input)")
	default:
		f := path{key: "kind"}
		b.add(kindLine, &f, "unknown kind %q (want order or chip)", kind)
	}
	return rec, len(b.probs) == start
}

// The fields each object may have: any other is a problem, so that a
// misspelt field (ultimate_parnet, enduser) is never dropped silently.
var (
	orderFields      = []string{"kind", "id", "date", "ship_from", "destination", "exporter", "parties", "end_use", "items", "license", "red_flags", "notes"}
	partiesFields    = []string{"buyer", "consignee", "end_user", "intermediates"}
	partyFields      = []string{"name", "country", "address", "headquarters", "role", "ultimate_parent"}
	parentFields     = []string{"name", "country", "headquarters"}
	endUseFields     = []string{"codes", "description"}
	itemFields       = []string{"sku", "quantity", "unit_value_usd", "chip", "catalog", "contains"}
	containedFields  = []string{"count", "chip", "catalog"}
	licenseFields    = []string{"type", "number", "notified_on"}
	chipFields       = []string{"id", "name", "catalog", "datacenter", "die_area_mm2", "performance", "dies", "memory_bandwidth_gbs", "interconnect_gbs", "designer_country", "hbm"}
	chipRecordFields = append([]string{"kind", "notes"}, chipFields...)
	perfFields       = []string{"format", "bits", "tops"}
	dieFields        = []string{"name", "count", "die_area_mm2", "performance"}
	hbmFields        = []string{"bandwidth_gbs", "package_area_mm2"}
	// A chip given by catalog name is the catalog's: figures beside it
	// would be either ignored or at odds with the catalog's.
	chipFigures = []string{"datacenter", "die_area_mm2", "performance", "dies", "memory_bandwidth_gbs", "interconnect_gbs", "designer_country", "hbm"}
)

// only reports every member of map m whose key is not one of keys, with
// the nearest known key when one is close. Keys starting x_ or x- are the
// writer's own (an internal reference, say): allowed anywhere, never read.
func (b *builder) only(m *node, p *path, keys []string) {
	for c := m.first; c != nil; c = c.next {
		if !slices.Contains(keys, c.key) && !strings.HasPrefix(c.key, "x_") && !strings.HasPrefix(c.key, "x-") {
			f := p.k(c.key)
			b.add(c.line, &f, "unknown field %q%s", c.key, didYouMean(c.key, keys))
		}
	}
}

// didYouMean is `; did you mean "x"?` for the key nearest to key, when one
// is near enough to be a likely typo.
func didYouMean(key string, keys []string) string {
	// A likely typo: one edit in a short key, two in a longer one.
	best, dist := "", 2
	if len(key) >= 5 {
		dist = 3
	}
	for _, k := range keys {
		if d := smetrics.WagnerFischer(key, k, 1, 1, 1); d < dist {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func (b *builder) order(m *node) *Order {
	b.only(m, nil, orderFields)
	o := &Order{}
	o.ID = b.reqStr(m, nil, "id")
	o.Date = b.date(m, nil, "date", true)
	o.ShipFrom = b.country(m, nil, "ship_from", true)
	o.Destination = b.country(m, nil, "destination", true)
	if n := b.field(m, nil, "exporter"); n != nil {
		f := path{key: "exporter"}
		o.Exporter = b.party(n, &f)
	}
	if n := b.field(m, nil, "parties"); n != nil {
		f := path{key: "parties"}
		if b.isMap(n, &f) {
			b.only(n, &f, partiesFields)
			o.Parties.Buyer = b.optParty(n, &f, "buyer")
			o.Parties.Consignee = b.optParty(n, &f, "consignee")
			o.Parties.EndUser = b.optParty(n, &f, "end_user")
			if l := b.list(n, &f, "intermediates"); l != nil {
				lf := f.k("intermediates")
				for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
					ef := lf.at(i)
					if p := b.party(e, &ef); p != nil {
						o.Parties.Intermediates = append(o.Parties.Intermediates, *p)
					}
				}
			}
		}
	}
	o.EndUse.Codes = []string{}
	if n := b.field(m, nil, "end_use"); n != nil {
		f := path{key: "end_use"}
		if b.isMap(n, &f) {
			b.only(n, &f, endUseFields)
			if codes := b.codes(n, &f, "codes", b.vocab.EndUse, "end-use"); codes != nil {
				o.EndUse.Codes = codes
			}
			o.EndUse.Description = b.str(n, &f, "description")
		}
	}
	itemsPath := path{key: "items"}
	switch l := b.list(m, nil, "items"); {
	case l == nil:
		if !given(m, "items") {
			b.add(m.line, &itemsPath, "required: at least one item")
		}
	case l.first == nil:
		b.add(l.line, &itemsPath, "at least one item required")
	default:
		o.Items = make([]Item, 0, l.len())
		for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
			f := itemsPath.at(i)
			if it, ok := b.item(e, &f); ok {
				o.Items = append(o.Items, it)
			}
		}
	}
	if n := b.field(m, nil, "license"); n != nil {
		f := path{key: "license"}
		o.License = b.license(n, &f)
	}
	o.RedFlags = b.codes(m, nil, "red_flags", b.vocab.RedFlag, "red-flag")
	return o
}

func (b *builder) optParty(m *node, p *path, key string) *Party {
	n := b.field(m, p, key)
	if n == nil {
		return nil
	}
	f := p.k(key)
	return b.party(n, &f)
}

func (b *builder) party(n *node, p *path) *Party {
	if !b.isMap(n, p) {
		return nil
	}
	b.only(n, p, partyFields)
	pt := &Party{
		Name:         b.str(n, p, "name"),
		Country:      b.country(n, p, "country", false),
		Address:      b.str(n, p, "address"),
		Headquarters: b.country(n, p, "headquarters", false),
		Role:         b.str(n, p, "role"),
	}
	if up := b.field(n, p, "ultimate_parent"); up != nil {
		f := p.k("ultimate_parent")
		if b.isMap(up, &f) {
			b.only(up, &f, parentFields)
			pt.UltimateParent = &Parent{
				Name:         b.str(up, &f, "name"),
				Country:      b.country(up, &f, "country", false),
				Headquarters: b.country(up, &f, "headquarters", false),
			}
		}
	}
	return pt
}

func (b *builder) license(n *node, p *path) *License {
	if !b.isMap(n, p) {
		return nil
	}
	b.only(n, p, licenseFields)
	l := &License{}
	if tn := b.field(n, p, "type"); tn == nil {
		b.required(n, p, "type")
	} else {
		f := p.k("type")
		t := b.text(tn, &f)
		switch strings.ToLower(t) {
		case "license":
			l.Type = "license"
		case "nac":
			l.Type = "NAC"
		case "aca":
			l.Type = "ACA"
		default:
			if tn.kind <= boolNode { // a scalar; other kinds were reported by text
				b.add(tn.line, &f, "must be one of license, NAC, ACA; got %q", t)
			}
		}
	}
	l.Number = b.str(n, p, "number")
	l.NotifiedOn = b.date(n, p, "notified_on", false)
	return l
}

func (b *builder) item(n *node, p *path) (Item, bool) {
	var it Item
	if !b.isMap(n, p) {
		return it, false
	}
	start := len(b.probs)
	b.only(n, p, itemFields)
	it.SKU = b.reqStr(n, p, "sku")
	if q := b.number(n, p, "quantity", positiveWhole); q != nil {
		it.Quantity = *q
	} else if !given(n, "quantity") {
		b.required(n, p, "quantity")
	}
	it.UnitValueUSD = b.number(n, p, "unit_value_usd", nonNegative)

	var kinds []string
	for _, k := range [...]string{"chip", "catalog", "contains"} {
		if given(n, k) {
			kinds = append(kinds, k)
		}
	}
	switch {
	case len(kinds) == 0:
		b.add(n.line, p, "needs one of chip, catalog or contains")
	case len(kinds) > 1:
		b.add(n.line, p, "give only one of chip, catalog or contains, not %s", strings.Join(kinds, " and "))
	case kinds[0] == "chip":
		f := p.k("chip")
		it.Chip = b.chip(b.field(n, p, "chip"), &f)
	case kinds[0] == "catalog":
		it.Catalog = b.catalog(n, p, "catalog")
	default:
		it.Contains = b.contains(n, p)
	}
	return it, len(b.probs) == start
}

func (b *builder) contains(m *node, p *path) []Contained {
	l := b.list(m, p, "contains")
	if l == nil {
		return nil
	}
	lf := p.k("contains")
	if l.first == nil {
		b.add(l.line, &lf, "at least one entry required")
		return nil
	}
	var out []Contained
	for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
		f := lf.at(i)
		if !b.isMap(e, &f) {
			continue
		}
		b.only(e, &f, containedFields)
		var c Contained
		if cnt := b.number(e, &f, "count", positiveWhole); cnt != nil {
			c.Count = *cnt
		} else if !given(e, "count") {
			b.required(e, &f, "count")
		}
		hasChip, hasCat := given(e, "chip"), given(e, "catalog")
		switch {
		case !hasChip && !hasCat:
			b.add(e.line, &f, "needs one of chip or catalog")
		case hasChip && hasCat:
			b.add(e.line, &f, "give only one of chip or catalog, not both")
		case hasChip:
			cf := f.k("chip")
			c.Chip = b.chip(b.field(e, &f, "chip"), &cf)
		default:
			c.Catalog = b.catalog(e, &f, "catalog")
		}
		out = append(out, c)
	}
	return out
}

// chipRecord reads a kind: chip record: a full spec with a name, or a bare
// catalog reference.
func (b *builder) chipRecord(m *node) *Chip {
	b.only(m, nil, chipRecordFields)
	c := b.chip(m, nil)
	if c == nil {
		return nil
	}
	if c.Name == "" && c.Catalog == "" {
		b.required(m, nil, "name")
	}
	if c.ID == "" {
		c.ID = c.Name
	}
	if c.ID == "" {
		c.ID = c.Catalog
	}
	return c
}

func (b *builder) chip(n *node, p *path) *Chip {
	if !b.isMap(n, p) {
		return nil
	}
	if p != nil {
		b.only(n, p, chipFields)
	}
	if cat := n.member("catalog"); cat != nil {
		for _, k := range chipFigures {
			if given(n, k) {
				f := p.k(k)
				b.add(n.member(k).line, &f, "given with catalog %q: give the catalog name alone, or the figures without it", strings.TrimSpace(cat.text))
			}
		}
	}
	c := &Chip{
		ID:                 b.str(n, p, "id"),
		Name:               b.str(n, p, "name"),
		Catalog:            b.catalog(n, p, "catalog"),
		Datacenter:         b.boolean(n, p, "datacenter"),
		DieAreaMM2:         b.number(n, p, "die_area_mm2", positive),
		Performance:        b.perfs(n, p),
		MemoryBandwidthGBs: b.number(n, p, "memory_bandwidth_gbs", positive),
		InterconnectGBs:    b.number(n, p, "interconnect_gbs", positive),
		DesignerCountry:    b.country(n, p, "designer_country", false),
	}
	if l := b.list(n, p, "dies"); l != nil {
		lf := p.k("dies")
		for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
			f := lf.at(i)
			if !b.isMap(e, &f) {
				continue
			}
			b.only(e, &f, dieFields)
			d := Die{Name: b.str(e, &f, "name"), Count: 1}
			if cnt := b.number(e, &f, "count", positiveWhole); cnt != nil {
				d.Count = *cnt
			}
			d.DieAreaMM2 = b.number(e, &f, "die_area_mm2", positive)
			d.Performance = b.perfs(e, &f)
			c.Dies = append(c.Dies, d)
		}
	}
	if h := b.field(n, p, "hbm"); h != nil {
		f := p.k("hbm")
		if b.isMap(h, &f) {
			b.only(h, &f, hbmFields)
			c.HBM = &HBM{}
			if v := b.number(h, &f, "bandwidth_gbs", positive); v != nil {
				c.HBM.BandwidthGBs = *v
			} else if !given(h, "bandwidth_gbs") {
				b.required(h, &f, "bandwidth_gbs")
			}
			if v := b.number(h, &f, "package_area_mm2", positive); v != nil {
				c.HBM.PackageAreaMM2 = *v
			} else if !given(h, "package_area_mm2") {
				b.required(h, &f, "package_area_mm2")
			}
		}
	}
	return c
}

// perfs reads the performance list of a chip or die. A chip without one is
// valid: its classification is simply unknown.
func (b *builder) perfs(m *node, p *path) []Perf {
	l := b.list(m, p, "performance")
	if l == nil {
		return nil
	}
	lf := p.k("performance")
	out := make([]Perf, 0, l.len())
	formats := map[string]int{}
	for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
		f := lf.at(i)
		if !b.isMap(e, &f) {
			continue
		}
		b.only(e, &f, perfFields)
		var pf Perf
		pf.Format = b.reqStr(e, &f, "format")
		// One rate per number format: which of two would count is
		// unknowable, and summing them would double it.
		if key := strings.ToLower(pf.Format); key != "" {
			if first, dup := formats[key]; dup {
				ff := f.k("format")
				b.add(e.member("format").line, &ff, "format %q given twice in one performance list (first at line %d)", pf.Format, first)
			} else {
				formats[key] = e.member("format").line
			}
		}
		if v := b.number(e, &f, "bits", positive); v != nil {
			pf.Bits = *v
		} else if !given(e, "bits") {
			b.required(e, &f, "bits")
		}
		if v := b.number(e, &f, "tops", positive); v != nil {
			pf.TOPS = *v
		} else if !given(e, "tops") {
			b.required(e, &f, "tops")
		}
		out = append(out, pf)
	}
	return out
}

// --- field access -------------------------------------------------------

// field returns member key of map m, or nil when it is absent or null. A
// key given twice is a problem: which of the two was meant is unknowable.
func (b *builder) field(m *node, p *path, key string) *node {
	var found *node
	for c := m.first; c != nil; c = c.next {
		if c.key != key {
			continue
		}
		if found == nil {
			found = c
			continue
		}
		f := p.k(key)
		b.add(c.line, &f, "given twice (first on line %d)", found.line)
	}
	if found == nil || found.kind == nullNode {
		return nil
	}
	return found
}

// given reports whether map m has a non-null member key, without the
// duplicate check of field (so a duplicate is reported once).
func given(m *node, key string) bool {
	n := m.member(key)
	return n != nil && n.kind != nullNode
}

func (b *builder) required(m *node, p *path, key string) {
	f := p.k(key)
	b.add(m.line, &f, "required")
}

func (b *builder) isMap(n *node, p *path) bool {
	if n.kind == mapNode {
		return true
	}
	b.add(n.line, p, "expected a mapping, got %s", describe(n))
	return false
}

// list returns member key of m if it is a list, nil if absent; anything
// else is a problem.
func (b *builder) list(m *node, p *path, key string) *node {
	n := b.field(m, p, key)
	if n == nil {
		return nil
	}
	if n.kind != listNode {
		f := p.k(key)
		b.add(n.line, &f, "expected a list, got %s", describe(n))
		return nil
	}
	return n
}

// text reads a scalar as a string. Numbers and booleans are accepted by
// their literal text, so `number: 123` or an unquoted `NO` mean "123" and
// "NO"; surrounding space is never significant.
func (b *builder) text(n *node, f *path) string {
	switch n.kind {
	case stringNode, numberNode, boolNode:
		return strings.TrimSpace(n.text)
	case nullNode:
		return ""
	}
	b.add(n.line, f, "expected a string, got %s", describe(n))
	return ""
}

func (b *builder) str(m *node, p *path, key string) string {
	n := b.field(m, p, key)
	if n == nil {
		return ""
	}
	f := p.k(key)
	return b.text(n, &f)
}

// reqStr reads a string that must be given and not be empty.
func (b *builder) reqStr(m *node, p *path, key string) string {
	n := b.field(m, p, key)
	if n == nil {
		b.required(m, p, key)
		return ""
	}
	f := p.k(key)
	s := b.text(n, &f)
	if s == "" && n.kind <= boolNode {
		b.add(n.line, &f, "must not be empty")
	}
	return s
}

// numRule is a bound a number field must respect.
type numRule uint8

const (
	positive numRule = iota
	positiveWhole
	nonNegative
)

// maxFigure bounds every number a record may give: no chip, count or price
// comes near it, and figures multiplied together (TPP = TOPS x bits x
// count) must stay finite.
const maxFigure = 1e12

// number reads an optional number; nil means absent or invalid (reported).
func (b *builder) number(m *node, p *path, key string, rule numRule) *float64 {
	n := b.field(m, p, key)
	if n == nil {
		return nil
	}
	f := p.k(key)
	var v float64
	switch {
	case n.kind == numberNode || n.kind == stringNode && n.plain:
		var ok bool
		if v, ok = parseNumber(n.text); !ok {
			if n.kind == numberNode {
				b.add(n.line, &f, "expected a finite number, got %s", quote(n.text))
			} else {
				b.add(n.line, &f, "expected a number, got %s", describe(n))
			}
			return nil
		}
	default:
		b.add(n.line, &f, "expected a number, got %s", describe(n))
		return nil
	}
	switch {
	case (rule == positive || rule == positiveWhole) && v <= 0:
		b.add(n.line, &f, "must be greater than 0, got %s", formatNum(v))
		return nil
	case rule == positiveWhole && v != math.Trunc(v):
		b.add(n.line, &f, "must be a whole number, got %s", formatNum(v))
		return nil
	case rule == nonNegative && v < 0:
		b.add(n.line, &f, "must not be negative, got %s", formatNum(v))
		return nil
	case math.Abs(v) > maxFigure:
		b.add(n.line, &f, "%s is beyond any real figure (at most %g)", formatNum(v), maxFigure)
		return nil
	}
	return &v
}

// parseNumber parses a number the way YAML writes them too: underscores
// as digit separators and 0x/0o/0b prefixes are allowed; NaN and
// infinities are not, since every bound check would pass them.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '_') >= 0 {
		s = strings.ReplaceAll(s, "_", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		i, ierr := strconv.ParseInt(s, 0, 64)
		if ierr != nil {
			return 0, false
		}
		v = float64(i)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func (b *builder) boolean(m *node, p *path, key string) *bool {
	n := b.field(m, p, key)
	if n == nil {
		return nil
	}
	if n.kind == boolNode || n.kind == stringNode && n.plain {
		switch strings.ToLower(strings.TrimSpace(n.text)) {
		case "true", "yes":
			v := true
			return &v
		case "false", "no":
			v := false
			return &v
		}
	}
	f := p.k(key)
	b.add(n.line, &f, "expected a boolean (true or false), got %s", describe(n))
	return nil
}

// country reads a country code, upper-cased, and checks it is known.
func (b *builder) country(m *node, p *path, key string, required bool) string {
	n := b.field(m, p, key)
	f := p.k(key)
	if n == nil {
		if required {
			b.add(m.line, &f, "required")
		}
		return ""
	}
	s := strings.ToUpper(b.text(n, &f))
	switch {
	case s == "" && n.kind <= boolNode:
		if required {
			b.add(n.line, &f, "required")
		}
	case s != "" && !b.vocab.Country(s):
		b.add(n.line, &f, "unknown country code %q", s)
	}
	return s
}

func (b *builder) catalog(m *node, p *path, key string) string {
	n := b.field(m, p, key)
	if n == nil {
		return ""
	}
	f := p.k(key)
	s := b.text(n, &f)
	switch {
	case s == "" && n.kind <= boolNode:
		b.add(n.line, &f, "must not be empty")
	case s != "" && !b.vocab.Catalog(s):
		b.add(n.line, &f, "unknown catalog entry %q", s)
	}
	return s
}

func (b *builder) date(m *node, p *path, key string, required bool) string {
	n := b.field(m, p, key)
	f := p.k(key)
	if n == nil {
		if required {
			b.add(m.line, &f, "required")
		}
		return ""
	}
	s := b.text(n, &f)
	if n.kind > boolNode {
		return "" // reported by text
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		b.add(n.line, &f, "expected a date YYYY-MM-DD, got %q", s)
		return ""
	}
	if lo, hi := b.dates[0], b.dates[1]; lo != "" && s < lo || hi != "" && s > hi {
		b.add(n.line, &f, "%s is outside %s to %s, the dates the rules can judge (give --as-of to judge it under the rules of another date)", s, lo, hi)
		return ""
	}
	return s
}

// codes reads a list of vocabulary codes (end uses, red flags).
func (b *builder) codes(m *node, p *path, key string, known func(string) bool, what string) []string {
	l := b.list(m, p, key)
	if l == nil {
		return nil
	}
	lf := p.k(key)
	out := make([]string, 0, l.len())
	for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
		f := lf.at(i)
		s := b.text(e, &f)
		switch {
		case e.kind > boolNode:
			// reported by text
		case s == "":
			b.add(e.line, &f, "empty %s code", what)
		case !known(s):
			b.add(e.line, &f, "unknown %s code %q", what, s)
		default:
			out = append(out, s)
		}
	}
	return out
}

// describe names a node's type and, for a scalar, its value, for
// "expected X, got Y" messages.
func describe(n *node) string {
	switch n.kind {
	case mapNode, listNode, nullNode:
		return n.kind.String()
	}
	return n.kind.String() + " " + quote(n.text)
}

// quote quotes s for a message, cutting very long values short.
func quote(s string) string {
	const max = 60
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
