package record

import (
	"strings"
	"time"
)

// DateOrTime reads a date YYYY-MM-DD or an RFC 3339 timestamp and returns
// its date (in UTC for a timestamp), which must lie within Options.Dates as
// Date's does.
func (d *Decoder) DateOrTime(m *Node, p *Path, key string, required bool) string {
	n := d.fieldOrRequired(m, p, key, required)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	s := d.Text(n, &f)
	if !n.kind.Scalar() {
		return "" // reported by Text
	}
	date := s
	if strings.ContainsAny(s, "Tt") {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			d.Addf(n.line, &f, "expected a date YYYY-MM-DD or an RFC 3339 time (2026-07-01T09:30:00Z), got %q", s)
			return ""
		}
		date = t.UTC().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, s); err != nil {
		d.Addf(n.line, &f, "expected a date YYYY-MM-DD or an RFC 3339 time (2026-07-01T09:30:00Z), got %q", s)
		return ""
	}
	if lo, hi := d.dates[0], d.dates[1]; lo != "" && date < lo || hi != "" && date > hi {
		d.Addf(n.line, &f, "%s is outside %s to %s, the dates the rules can judge (give --as-of to judge it under the rules of another date)", date, lo, hi)
		return ""
	}
	return date
}
