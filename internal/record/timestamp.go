package record

import (
	"strings"
	"time"
)

// DateOrTime reads a date YYYY-MM-DD or an RFC 3339 timestamp and returns
// its date (in UTC for a timestamp), which must lie within Options.Dates as
// Date's does.
func (d *Decoder) DateOrTime(m *Node, p *Path, key string, required bool) string {
	return d.date(m, p, key, required, true)
}

// date reads a date, or with timestamps also an RFC 3339 time, and checks
// that its date lies within Options.Dates.
func (d *Decoder) date(m *Node, p *Path, key string, required, timestamps bool) string {
	n := d.fieldOrRequired(m, p, key, required)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	s := d.Text(n, &f)
	if !n.kind.Scalar() {
		return "" // reported by Text
	}
	date, want := s, "a date YYYY-MM-DD"
	if timestamps {
		want += " or an RFC 3339 time (2026-07-01T09:30:00Z)"
	}
	var err error
	if timestamps && strings.ContainsAny(s, "Tt") {
		var t time.Time
		if t, err = time.Parse(time.RFC3339, s); err == nil {
			date = t.UTC().Format(time.DateOnly)
		}
	} else {
		_, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		d.Addf(n.line, &f, "expected %s, got %q", want, s)
		return ""
	}
	if lo, hi := d.dates[0], d.dates[1]; lo != "" && date < lo || hi != "" && date > hi {
		d.Addf(n.line, &f, "%s is outside %s to %s, the dates the rules can judge (give --as-of to judge it under the rules of another date)", date, lo, hi)
		return ""
	}
	return date
}
