package orders

// Validation: the builders that turn record nodes into Orders and Chips,
// checking every field against the vocabulary, and the CSV layout of both
// kinds.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chipcheck/chipcheck/internal/record"
)

// Kinds returns the kinds of record this domain reads, order then chip,
// for record.Read: orders have unique ids and chips need not; codes,
// countries and catalog names are checked against vocab.
func Kinds(vocab Vocabulary) []record.Kind {
	return []record.Kind{
		{Name: KindOrder, UniqueIDs: true, CSV: orderCSV, Build: func(d *record.Decoder, n *record.Node) (any, string) {
			b := builder{Decoder: d, vocab: vocab}
			o := b.order(n)
			return o, o.ID
		}},
		{Name: KindChip, CSV: chipCSV, Build: func(d *record.Decoder, n *record.Node) (any, string) {
			b := builder{Decoder: d, vocab: vocab}
			c := b.chipRecord(n)
			if c == nil {
				return nil, ""
			}
			return c, c.ID
		}},
	}
}

// builder builds one record with its Decoder.
type builder struct {
	*record.Decoder
	vocab Vocabulary
}

// top is the path of a field of the record itself.
func top(key string) record.Path { return (*record.Path)(nil).Key(key) }

// country reads a country code known to the vocabulary.
func (b *builder) country(m *record.Node, p *record.Path, key string, required bool) string {
	var hint func(string) string
	if h, ok := b.vocab.(Hinter); ok {
		hint = h.CountryHint
	}
	return b.Decoder.CountryHint(m, p, key, required, b.vocab.Country, hint)
}

// The CSV layout (docs/records.md#csv): one row per order line, rows with
// the same id forming one order; one row per chip. tops_<format> columns
// stand for performance entries in both.
var (
	topsColumns = []record.Shorthand{{Prefix: "tops_", List: "performance", Key: "tops", Members: topsMembers}}
	orderCSV    = record.CSV{
		GroupBy:    "id",
		Rows:       "items",
		RowsHint:   "item columns name the item's field (items.sku, items.chip.name) and take no index: one row per item",
		Lists:      []string{"end_use.codes", "red_flags"},
		Shorthands: topsColumns,
	}
	chipCSV = record.CSV{Shorthands: topsColumns}
)

// topsMembers are the format and bits of a tops_<format> column: the bits
// are the trailing digits of the format name (fp8 -> 8, bf16 -> 16).
func topsMembers(format string) ([]record.Member, error) {
	bits := trailingDigits(format)
	if bits <= 0 {
		return nil, fmt.Errorf("cannot tell the bit width of number format %q: name it with its width, e.g. tops_fp8", format)
	}
	return []record.Member{{Key: "format", Text: format}, {Key: "bits", Text: strconv.Itoa(bits), Number: true}}, nil
}

// trailingDigits returns the number at the end of s (fp8 -> 8), or 0.
func trailingDigits(s string) int {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return n
}

// The fields each object may have: any other is a problem, so that a
// misspelt field (ultimate_parnet, enduser) is never dropped silently.
var (
	orderFields      = []string{"kind", "id", "date", "ship_date", "ship_from", "destination", "destination_region", "exporter", "parties", "end_use", "items", "license", "red_flags", "notes"}
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

func (b *builder) order(m *record.Node) *Order {
	b.Only(m, nil, orderFields)
	o := &Order{}
	o.ID = b.ReqStr(m, nil, "id")
	o.Date = b.Date(m, nil, "date", true)
	o.ShipFrom = b.country(m, nil, "ship_from", true)
	o.Destination = b.country(m, nil, "destination", true)
	b.shipping(m, o)
	if n := b.Field(m, nil, "exporter"); n != nil {
		f := top("exporter")
		o.Exporter = b.party(n, &f)
	}
	if n := b.Field(m, nil, "parties"); n != nil {
		f := top("parties")
		if b.IsMap(n, &f) {
			b.Only(n, &f, partiesFields)
			o.Parties.Buyer = b.optParty(n, &f, "buyer")
			o.Parties.Consignee = b.optParty(n, &f, "consignee")
			o.Parties.EndUser = b.optParty(n, &f, "end_user")
			if l := b.List(n, &f, "intermediates"); l != nil {
				lf := f.Key("intermediates")
				for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
					ef := lf.At(i)
					if p := b.party(e, &ef); p != nil {
						o.Parties.Intermediates = append(o.Parties.Intermediates, *p)
					}
				}
			}
		}
	}
	o.EndUse.Codes = []string{}
	if n := b.Field(m, nil, "end_use"); n != nil {
		f := top("end_use")
		if b.IsMap(n, &f) {
			b.Only(n, &f, endUseFields)
			if codes := b.Codes(n, &f, "codes", b.vocab.EndUse, "end-use"); codes != nil {
				o.EndUse.Codes = codes
			}
			o.EndUse.Description = b.Str(n, &f, "description")
		}
	}
	itemsPath := top("items")
	switch l := b.List(m, nil, "items"); {
	case l == nil:
		if !m.Given("items") {
			b.Addf(m.Line(), &itemsPath, "required: at least one item")
		}
	case l.First() == nil:
		b.Addf(l.Line(), &itemsPath, "at least one item required")
	default:
		o.Items = make([]Item, 0, l.Len())
		for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
			f := itemsPath.At(i)
			if it, ok := b.item(e, &f); ok {
				o.Items = append(o.Items, it)
			}
		}
	}
	if n := b.Field(m, nil, "license"); n != nil {
		f := top("license")
		o.License = b.license(n, &f)
	}
	o.RedFlags = b.Codes(m, nil, "red_flags", b.vocab.RedFlag, "red-flag")
	return o
}

func (b *builder) optParty(m *record.Node, p *record.Path, key string) *Party {
	n := b.Field(m, p, key)
	if n == nil {
		return nil
	}
	f := p.Key(key)
	return b.party(n, &f)
}

func (b *builder) party(n *record.Node, p *record.Path) *Party {
	if !b.IsMap(n, p) {
		return nil
	}
	b.Only(n, p, partyFields)
	pt := &Party{
		Name:         b.Str(n, p, "name"),
		Country:      b.country(n, p, "country", false),
		Address:      b.Str(n, p, "address"),
		Headquarters: b.country(n, p, "headquarters", false),
		Role:         b.Str(n, p, "role"),
	}
	if up := b.Field(n, p, "ultimate_parent"); up != nil {
		f := p.Key("ultimate_parent")
		if b.IsMap(up, &f) {
			b.Only(up, &f, parentFields)
			pt.UltimateParent = &Parent{
				Name:         b.Str(up, &f, "name"),
				Country:      b.country(up, &f, "country", false),
				Headquarters: b.country(up, &f, "headquarters", false),
			}
		}
	}
	return pt
}

func (b *builder) license(n *record.Node, p *record.Path) *License {
	if !b.IsMap(n, p) {
		return nil
	}
	b.Only(n, p, licenseFields)
	l := &License{}
	if tn := b.Field(n, p, "type"); tn == nil {
		b.Required(n, p, "type")
	} else {
		f := p.Key("type")
		t := b.Text(tn, &f)
		switch strings.ToLower(t) {
		case "license":
			l.Type = "license"
		case "nac":
			l.Type = "NAC"
		case "aca":
			l.Type = "ACA"
		default:
			if tn.Kind().Scalar() { // a scalar; other kinds were reported by Text
				b.Addf(tn.Line(), &f, "must be one of license, NAC, ACA; got %q", t)
			}
		}
	}
	l.Number = b.Str(n, p, "number")
	b.placeholderNumber(n, p, l.Number)
	l.NotifiedOn = b.Date(n, p, "notified_on", false)
	return l
}

func (b *builder) item(n *record.Node, p *record.Path) (Item, bool) {
	var it Item
	if !b.IsMap(n, p) {
		return it, false
	}
	start := b.Reported()
	b.Only(n, p, itemFields)
	it.SKU = b.ReqStr(n, p, "sku")
	if q := b.Number(n, p, "quantity", record.PositiveWhole); q != nil {
		it.Quantity = *q
	} else if !n.Given("quantity") {
		b.Required(n, p, "quantity")
	}
	it.UnitValueUSD = b.Number(n, p, "unit_value_usd", record.NonNegative)

	var kinds []string
	for _, k := range [...]string{"chip", "catalog", "contains"} {
		if n.Given(k) {
			kinds = append(kinds, k)
		}
	}
	switch {
	case len(kinds) == 0:
		b.Addf(n.Line(), p, "needs one of chip, catalog or contains")
	case len(kinds) > 1:
		b.Addf(n.Line(), p, "give only one of chip, catalog or contains, not %s", strings.Join(kinds, " and "))
	case kinds[0] == "chip":
		f := p.Key("chip")
		it.Chip = b.chip(b.Field(n, p, "chip"), &f)
	case kinds[0] == "catalog":
		it.Catalog = b.catalog(n, p, "catalog")
	default:
		it.Contains = b.contains(n, p)
	}
	return it, b.Reported() == start
}

func (b *builder) contains(m *record.Node, p *record.Path) []Contained {
	l := b.List(m, p, "contains")
	if l == nil {
		return nil
	}
	lf := p.Key("contains")
	if l.First() == nil {
		b.Addf(l.Line(), &lf, "at least one entry required")
		return nil
	}
	var out []Contained
	for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
		f := lf.At(i)
		if !b.IsMap(e, &f) {
			continue
		}
		b.Only(e, &f, containedFields)
		var c Contained
		if cnt := b.Number(e, &f, "count", record.PositiveWhole); cnt != nil {
			c.Count = *cnt
		} else if !e.Given("count") {
			b.Required(e, &f, "count")
		}
		hasChip, hasCat := e.Given("chip"), e.Given("catalog")
		switch {
		case !hasChip && !hasCat:
			b.Addf(e.Line(), &f, "needs one of chip or catalog")
		case hasChip && hasCat:
			b.Addf(e.Line(), &f, "give only one of chip or catalog, not both")
		case hasChip:
			cf := f.Key("chip")
			c.Chip = b.chip(b.Field(e, &f, "chip"), &cf)
		default:
			c.Catalog = b.catalog(e, &f, "catalog")
		}
		out = append(out, c)
	}
	return out
}

// chipRecord reads a kind: chip record: a full spec with a name, or a bare
// catalog reference.
func (b *builder) chipRecord(m *record.Node) *Chip {
	b.Only(m, nil, chipRecordFields)
	c := b.chip(m, nil)
	if c == nil {
		return nil
	}
	if c.Name == "" && c.Catalog == "" {
		b.Required(m, nil, "name")
	}
	if c.ID == "" {
		c.ID = c.Name
	}
	if c.ID == "" {
		c.ID = c.Catalog
	}
	return c
}

func (b *builder) chip(n *record.Node, p *record.Path) *Chip {
	if !b.IsMap(n, p) {
		return nil
	}
	if p != nil {
		b.Only(n, p, chipFields)
	}
	if cat := n.Member("catalog"); cat != nil {
		for _, k := range chipFigures {
			if n.Given(k) {
				f := p.Key(k)
				b.Addf(n.Member(k).Line(), &f, "given with catalog %q: give the catalog name alone, or the figures without it", strings.TrimSpace(cat.Text()))
			}
		}
	}
	c := &Chip{
		ID:                 b.Str(n, p, "id"),
		Name:               b.Str(n, p, "name"),
		Catalog:            b.catalog(n, p, "catalog"),
		Datacenter:         b.Bool(n, p, "datacenter"),
		DieAreaMM2:         b.Number(n, p, "die_area_mm2", record.Positive),
		Performance:        b.perfs(n, p),
		MemoryBandwidthGBs: b.Number(n, p, "memory_bandwidth_gbs", record.Positive),
		// 0: no chip-to-chip interconnect, which users write as such.
		InterconnectGBs: b.Number(n, p, "interconnect_gbs", record.NonNegative),
		DesignerCountry: b.country(n, p, "designer_country", false),
	}
	if l := b.List(n, p, "dies"); l != nil {
		lf := p.Key("dies")
		for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
			f := lf.At(i)
			if !b.IsMap(e, &f) {
				continue
			}
			b.Only(e, &f, dieFields)
			d := Die{Name: b.Str(e, &f, "name"), Count: 1}
			if cnt := b.Number(e, &f, "count", record.PositiveWhole); cnt != nil {
				d.Count = *cnt
			}
			d.DieAreaMM2 = b.Number(e, &f, "die_area_mm2", record.Positive)
			d.Performance = b.perfs(e, &f)
			c.Dies = append(c.Dies, d)
		}
	}
	if h := b.Field(n, p, "hbm"); h != nil {
		f := p.Key("hbm")
		if b.IsMap(h, &f) {
			b.Only(h, &f, hbmFields)
			c.HBM = &HBM{}
			if v := b.Number(h, &f, "bandwidth_gbs", record.Positive); v != nil {
				c.HBM.BandwidthGBs = *v
			} else if !h.Given("bandwidth_gbs") {
				b.Required(h, &f, "bandwidth_gbs")
			}
			if v := b.Number(h, &f, "package_area_mm2", record.Positive); v != nil {
				c.HBM.PackageAreaMM2 = *v
			} else if !h.Given("package_area_mm2") {
				b.Required(h, &f, "package_area_mm2")
			}
		}
	}
	return c
}

// perfs reads the performance list of a chip or die. A chip without one is
// valid: its classification is simply unknown.
func (b *builder) perfs(m *record.Node, p *record.Path) []Perf {
	l := b.List(m, p, "performance")
	if l == nil {
		return nil
	}
	lf := p.Key("performance")
	out := make([]Perf, 0, l.Len())
	formats := map[string]int{}
	for i, e := 0, l.First(); e != nil; i, e = i+1, e.Next() {
		f := lf.At(i)
		if !b.IsMap(e, &f) {
			continue
		}
		b.Only(e, &f, perfFields)
		var pf Perf
		pf.Format = b.ReqStr(e, &f, "format")
		// One rate per number format: which of two would count is
		// unknowable, and summing them would double it.
		if key := strings.ToLower(pf.Format); key != "" {
			if first, dup := formats[key]; dup {
				ff := f.Key("format")
				b.Addf(e.Member("format").Line(), &ff, "format %q given twice in one performance list (first at line %d)", pf.Format, first)
			} else {
				formats[key] = e.Member("format").Line()
			}
		}
		if v := b.Number(e, &f, "bits", record.Positive); v != nil {
			pf.Bits = *v
		} else if !e.Given("bits") {
			b.Required(e, &f, "bits")
		}
		if v := b.Number(e, &f, "tops", record.Positive); v != nil {
			pf.TOPS = *v
		} else if !e.Given("tops") {
			b.Required(e, &f, "tops")
		}
		out = append(out, pf)
	}
	return out
}

func (b *builder) catalog(m *record.Node, p *record.Path, key string) string {
	n := b.Field(m, p, key)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	s := b.Text(n, &f)
	switch {
	case s == "" && n.Kind().Scalar():
		b.Addf(n.Line(), &f, "must not be empty")
	case s != "" && !b.vocab.Catalog(s):
		more := ""
		if h, ok := b.vocab.(Hinter); ok {
			more = h.CatalogHint(s)
		}
		b.Addf(n.Line(), &f, "unknown catalog entry %q%s", s, more)
	}
	return s
}
