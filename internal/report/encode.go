package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// The JSON encoder of decisions: it appends a decision's JSON to a buffer
// without reflection, since a batch encodes one per record. It writes what
// encoding/json writes for decision.Decision with HTML escaping off (struct
// fields in order, omitempty honoured, map keys sorted, strings escaped as
// encoding/json does), which encode_test.go checks.

// AppendDecision appends d as JSON to b.
func AppendDecision(b []byte, d *decision.Decision) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, d.ID)
	b = append(b, `,"kind":`...)
	b = appendString(b, d.Kind)
	b = append(b, `,"decision":`...)
	b = appendString(b, d.Decision)
	b = append(b, `,"reasons":`...)
	if d.Reasons == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range d.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendReason(b, &d.Reasons[i])
		}
		b = append(b, ']')
	}
	if len(d.Items) > 0 {
		b = append(b, `,"items":[`...)
		for i := range d.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendItem(b, &d.Items[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"screening":`...)
	if d.Screening == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range d.Screening {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendHit(b, &d.Screening[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"source":{"file":`...)
	b = appendString(b, d.Source.File)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(d.Source.Line), 10)
	b = append(b, `},"policy":{"revision":`...)
	b = appendString(b, d.Policy.Revision)
	b = appendOptString(b, `,"policies":`, d.Policy.Policies)
	b = appendOptString(b, `,"rules":`, d.Policy.Rules)
	b = append(b, '}')
	b = appendOptString(b, `,"as_of":`, d.AsOf)
	if p := d.Provenance; p != nil {
		b = append(b, `,"provenance":{"decision_id":`...)
		b = appendString(b, p.DecisionID)
		b = append(b, `,"evaluated_at":`...)
		b = appendString(b, p.EvaluatedAt)
		b = append(b, `,"input_sha256":`...)
		b = appendString(b, p.InputSHA256)
		b = appendOptString(b, `,"exporter":`, p.Exporter)
		b = append(b, `,"lists":`...)
		if p.Lists == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for i, l := range p.Lists {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendString(b, l.ID)
				b = append(b, `,"name":`...)
				b = appendString(b, l.Name)
				b = append(b, `,"snapshot":`...)
				b = appendString(b, l.Snapshot)
				b = append(b, `,"sha256":`...)
				b = appendString(b, l.SHA256)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, `,"chipcheck":`...)
		b = appendString(b, p.Chipcheck)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendReason(b []byte, r *decision.Reason) []byte {
	b = append(b, `{"rule":`...)
	b = appendString(b, r.Rule)
	b = append(b, `,"outcome":`...)
	b = appendString(b, r.Outcome)
	b = append(b, `,"message":`...)
	b = appendString(b, r.Message)
	b = append(b, `,"citation":`...)
	b = appendString(b, r.Citation)
	if len(r.Facts) > 0 {
		b = append(b, `,"facts":`...)
		b = appendValue(b, r.Facts)
	}
	b = appendOptString(b, `,"waived":`, r.Waived)
	return append(b, '}')
}

func appendItem(b []byte, it *decision.Item) []byte {
	b = append(b, `{"sku":`...)
	b = appendString(b, it.SKU)
	b = appendOptString(b, `,"name":`, it.Name)
	b = append(b, `,"eccn":`...)
	b = appendString(b, it.ECCN)
	b = appendOptString(b, `,"paragraph":`, it.Paragraph)
	b = append(b, `,"tpp":`...)
	b = appendOptFloat(b, it.TPP)
	b = append(b, `,"pd":`...)
	b = appendOptFloat(b, it.PD)
	return append(b, '}')
}

func appendHit(b []byte, h *decision.Hit) []byte {
	b = append(b, `{"party":`...)
	b = appendString(b, h.Party)
	b = append(b, `,"party_name":`...)
	b = appendString(b, h.PartyName)
	b = append(b, `,"list":`...)
	b = appendString(b, h.List)
	b = append(b, `,"list_name":`...)
	b = appendString(b, h.ListName)
	b = append(b, `,"entry_id":`...)
	b = appendString(b, h.EntryID)
	b = append(b, `,"entry":`...)
	b = appendString(b, h.Entry)
	b = append(b, `,"matched":`...)
	b = appendString(b, h.Matched)
	b = append(b, `,"score":`...)
	b = appendFloat(b, h.Score)
	if len(h.Countries) > 0 {
		b = append(b, `,"countries":[`...)
		for i, c := range h.Countries {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, c)
		}
		b = append(b, ']')
	}
	b = appendOptString(b, `,"explanation":`, h.Explanation)
	b = appendOptString(b, `,"license_requirement":`, h.LicenseRequirement)
	b = appendOptString(b, `,"license_policy":`, h.LicensePolicy)
	b = appendOptString(b, `,"federal_register":`, h.FederalRegister)
	return append(b, '}')
}

// appendValue appends a fact: the JSON values Rego returns (maps, lists,
// strings, json.Number, booleans, null) and the numbers Go adds.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case json.Number:
		if x == "" {
			return append(b, '0')
		}
		return append(b, x...)
	case float64:
		return appendFloat(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']')
	case map[string]any:
		var small [16]string
		keys := small[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, x[k])
		}
		return append(b, '}')
	}
	// Not a value a policy or the engine puts in facts; encode it the
	// slow way rather than lose it.
	j, err := json.Marshal(v)
	if err != nil {
		return appendString(b, err.Error())
	}
	return append(b, j...)
}

func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, key...), s)
}

func appendOptFloat(b []byte, f *float64) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	return appendFloat(b, *f)
}

// appendFloat formats f as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		// encoding/json refuses these; a decision never holds one, and
		// null keeps the output valid JSON.
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does
// without HTML escaping: quotes, backslashes and control characters, the
// line and paragraph separators U+2028 and U+2029, and invalid UTF-8 as
// U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Marshal appends the JSON of v to b: a decision by AppendDecision, any
// other result by encoding/json, with HTML escaping off ("TPP >= 4800").
func Marshal(b []byte, v any) ([]byte, error) {
	switch d := v.(type) {
	case decision.Decision:
		return AppendDecision(b, &d), nil
	case *decision.Decision:
		return AppendDecision(b, d), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}
