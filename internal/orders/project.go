package orders

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/engine"
)

const nFields = 16

func (f field) index() int { return bits.TrailingZeros16(uint16(f)) }

// projection is an order's projection, field by field: each field's value,
// built when a stage input first needs it (on a cache miss), and its key
// encoding, built once per order however many stages see the field.
type projection struct {
	o    *orderEval
	vals [nFields]any
	have [nFields]bool
	enc  [nFields][2]int // each field's encoding: a span of buf
	done [nFields]bool
	buf  []byte
}

func (p *projection) reset(o *orderEval) {
	p.o = o
	p.vals, p.have, p.done = [nFields]any{}, [nFields]bool{}, [nFields]bool{}
	p.buf = p.buf[:0]
}

// set gives a field a value (the fields the stages compute as they run).
func (p *projection) set(f field, v any) {
	i := f.index()
	p.vals[i], p.have[i], p.done[i] = v, true, false
}

// value is the value of field f, built on first use.
func (p *projection) value(f field) any {
	i := f.index()
	if !p.have[i] {
		p.vals[i], p.have[i] = p.build(f), true
	}
	return p.vals[i]
}

// appendKey appends the key encoding of field f to b.
func (p *projection) appendKey(b []byte, f field) []byte {
	i := f.index()
	if !p.done[i] {
		start := len(p.buf)
		p.buf = engine.AppendKey(p.buf, p.value(f))
		p.enc[i], p.done[i] = [2]int{start, len(p.buf)}, true
	}
	return append(b, p.buf[p.enc[i][0]:p.enc[i][1]]...)
}

// build computes a field of the order's projection (the stage table says
// which stage sees which).
func (p *projection) build(f field) any {
	o := p.o
	ord := o.f.Order
	switch f {
	case fDate:
		return o.date
	case fPlace:
		return []any{ord.Destination, ord.ShipFrom, ord.DestinationRegion}
	case fLicense, fClaim:
		// The claim as the policy may judge it: never the number itself
		// (lib.license_number stands for it in messages), so that orders
		// with the same claim share results.
		m := map[string]any{}
		if l := ord.License; l != nil {
			m["type"], m["numbered"] = l.Type, strings.TrimSpace(l.Number) != ""
			if f == fLicense {
				m["notified"] = false
				if n, ok := noticeDays(o.f, l.NotifiedOn); ok {
					m["notified"], m["notice_days"] = true, n
				}
				if o.f.Register != nil {
					m["register"] = o.f.Register
				}
			}
		}
		return m
	case fParties:
		// Every party and ultimate parent whose headquarters is given and
		// is a place some is-informed letter names (the place policy's
		// `letters`): only those can make a letter reach the order, and
		// leaving out the rest lets orders share the stage's results.
		parties := []any{}
		if !o.lettersMayApply() || o.destinationNamesLetters() {
			// A letter the destination names reaches the order there
			// (letters.rego reach): parties could only repeat it.
			return parties
		}
		for _, pt := range o.f.Parties {
			if hq := pt.Headquarters; hq != "" && o.namedByLetters(hq) {
				parties = append(parties, map[string]any{"role": pt.Role, "parent": false, "headquarters": hq})
			}
			if hq := parentHQ(pt); hq != "" && o.namedByLetters(hq) {
				parties = append(parties, map[string]any{"role": pt.Role, "parent": true, "headquarters": hq})
			}
		}
		return parties
	case fEndUse:
		return anys(ord.EndUse.Codes)
	case fEndUser:
		if eu := ord.Parties.EndUser; eu != nil {
			return eu.Country
		}
		return ""
	case fConsignee:
		if c := ord.Parties.Consignee; c != nil {
			return c.Country
		}
		return ""
	case fExporter:
		return o.d.addressed(o.f.Exporter)
	case fHits:
		hits := make([]any, len(o.f.Hits))
		for i, h := range o.f.Hits {
			hits[i] = map[string]any{"list": h.List, "score": h.Score}
		}
		return hits
	case fRedFlags:
		return anys(ord.RedFlags)
	}
	// fHeadquarters, fKinds and fRequirements are set as the stages run.
	panic("orders: projection field not set")
}

// input adds field f of the projection to a stage input.
func (p *projection) input(in map[string]any, f field) {
	switch f {
	case fDate:
		in["date"] = p.value(f)
	case fPlace:
		ord := p.o.f.Order
		in["destination"], in["ship_from"], in["destination_region"] = ord.Destination, ord.ShipFrom, ord.DestinationRegion
	case fLicense, fClaim:
		in["license"] = p.value(f)
	case fKinds:
		in["kinds"] = p.value(f)
	case fHeadquarters:
		in["headquarters"] = p.value(f)
	case fParties:
		in["parties"] = p.value(f)
	case fEndUse:
		in["end_use"] = p.value(f)
	case fEndUser:
		in["end_user"] = map[string]any{"country": p.value(f)}
	case fConsignee:
		in["consignee"] = map[string]any{"country": p.value(f)}
	case fExporter:
		in["exporter"] = p.value(f)
	case fRequirements:
		in["requirements"] = p.value(f)
	case fHits:
		in["hits"] = p.value(f)
	case fRedFlags:
		in["red_flags"] = p.value(f)
	}
}

// lettersMayApply reports whether an is-informed letter can apply to the
// order: a letter binds only its addressee, so none can when the exporter
// is known and none is addressed to it (letters.rego: requirements need
// the letter among exporter.letters, the review an unknown exporter).
// Then the letters stage sees neither items nor parties, and the orders of
// such an exporter share its results by date and place alone.
func (o *orderEval) lettersMayApply() bool {
	ex, _ := o.proj.value(fExporter).(map[string]any)
	ids, _ := ex["letters"].([]any)
	return ex["known"] != true || len(ids) > 0
}

// namedByLetters reports whether the place policy names an is-informed
// letter for country on the order's date. When the facts cannot be had it
// says yes: keeping a party in the input never hides a letter.
func (o *orderEval) namedByLetters(country string) bool {
	t, err := o.d.placeFacts(o.ctx, country, o.f.Date)
	return err != nil || namesLetters(t)
}

// destinationNamesLetters reports whether every letter that reaches an
// item of the order (its letters view) is one the destination's place
// facts name, so that no party's headquarters can matter. Anything
// unreadable means no.
func (o *orderEval) destinationNamesLetters() bool {
	t, err := o.d.placeFacts(o.ctx, o.f.Order.Destination, o.f.Date)
	if err != nil {
		return false
	}
	dest, ok := termStrings(t, "letters")
	if !ok {
		return false
	}
	for _, l := range o.lines {
		c := l.classes[viewLetters]
		if c == nil {
			return false
		}
		ids, ok := termStrings(c.term, "letters")
		if !ok {
			return false
		}
		for _, id := range ids {
			if !slices.Contains(dest, id) {
				return false
			}
		}
	}
	return true
}
