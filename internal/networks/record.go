package networks

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/record"
)

// KindActivity is the kind of record this domain reads and judges.
const KindActivity = "account_activity"

// Identifier names, as records and rules/networks.yaml write them.
const (
	IDPayment = "payment_fingerprint"
	IDDevice  = "device_id"
	IDPhone   = "phone"
	IDPrefix  = "ip_prefix"
	IDASN     = "asn"
	IDEmail   = "email_domain"
)

// Identifiers are the identifier fields of a record, in the order they
// are written.
var Identifiers = []string{IDPayment, IDDevice, IDPhone, IDPrefix, IDASN, IDEmail}

// Usage shares, as records and rules/networks.yaml write them.
var Usage = []string{"cot_elicitation_share", "template_concentration", "single_turn_share", "new_model_share_48h"}

// Account statuses.
const (
	StatusActive = "active"
	StatusDenied = "denied"
)

// Activity is one account's activity in one window (kind:
// account_activity, docs/records.md). Identifier values are keyed hashes
// or plain strings; chipcheck only compares them.
type Activity struct {
	AccountID    string
	OrgID        string
	CreatedAt    time.Time
	Start, End   time.Time
	Requests     float64
	OutputTokens float64
	// IDs holds each identifier's values, indexed as Identifiers: one
	// value, or several when the account rotated within the window.
	IDs       [6][]string
	Countries struct{ Declared, Billing, IPMajority string }
	// Usage holds the shares of Usage, in order; -1 when not given.
	Usage   [4]float64
	MinHash []uint32 // nil when not given
	// Status is StatusActive, or StatusDenied when the provider has
	// already denied the account (for ownership, geography or model-gate
	// reasons); StatusReason says why, as the provider wrote it.
	Status       string
	StatusReason string

	pos int32 // its position in the batch Analyze last linked it in
}

// Days is the window's length in days.
func (a *Activity) Days() float64 { return a.End.Sub(a.Start).Hours() / 24 }

// ActivityOf is the activity a record of kind account_activity holds, or
// nil.
func ActivityOf(rec *record.Record) *Activity {
	a, _ := rec.Value.(*Activity)
	return a
}

// Limits on one record, so that a batch cannot be made to cost more than
// its size: a signature longer than any LSH banding reads, a rotation
// list longer than a window plausibly holds.
const (
	maxMinHash      = 1024
	maxValues       = 64
	maxWindowDays   = 366
	maxIdentifierSz = 256
)

var (
	activityFields   = []string{"kind", "account_id", "org_id", "created_at", "window", "requests", "output_tokens", "identifiers", "countries", "usage", "prompt_minhash", "status", "status_reason", "notes"}
	windowFields     = []string{"start", "end"}
	countryFields    = []string{"declared", "billing", "ip_majority"}
	identifierFields = Identifiers
)

// Vocabulary is what validation checks country codes against
// (rules.Set).
type Vocabulary interface {
	Country(code string) bool
}

// Kinds returns the kind this domain reads, for record.Read: account ids
// are unique in a batch (one window per account: decisions are keyed by
// account).
func Kinds(vocab Vocabulary) []record.Kind {
	return []record.Kind{{Name: KindActivity, UniqueIDs: true, CSV: activityCSV, Build: func(d *record.Decoder, n *record.Node) (any, string) {
		b := builder{Decoder: d, vocab: vocab}
		a := b.activity(n)
		return a, a.AccountID
	}}}
}

// In CSV, one row per account; prompt_minhash and each identifier take
// several values separated by ";" (docs/records.md#csv).
var activityCSV = record.CSV{Lists: append([]string{"prompt_minhash"}, identifierColumns()...)}

func identifierColumns() []string {
	out := make([]string, len(Identifiers))
	for i, id := range Identifiers {
		out[i] = "identifiers." + id
	}
	return out
}

type builder struct {
	*record.Decoder
	vocab Vocabulary
}

func top(key string) record.Path { return (*record.Path)(nil).Key(key) }

func (b *builder) activity(m *record.Node) *Activity {
	b.Only(m, nil, activityFields)
	a := &Activity{Status: StatusActive}
	a.AccountID = b.ReqStr(m, nil, "account_id")
	a.OrgID = b.ReqStr(m, nil, "org_id")
	a.CreatedAt = b.timestamp(m, nil, "created_at")
	if n := b.Field(m, nil, "window"); n == nil {
		b.Required(m, nil, "window")
	} else if f := top("window"); b.IsMap(n, &f) {
		b.Only(n, &f, windowFields)
		a.Start = b.timestamp(n, &f, "start")
		a.End = b.timestamp(n, &f, "end")
		if !a.Start.IsZero() && !a.End.IsZero() {
			switch days := a.Days(); {
			case days <= 0:
				e := f.Key("end")
				b.Addf(n.Line(), &e, "must be after window.start")
			case days > maxWindowDays:
				b.Addf(n.Line(), &f, "a window of %.0f days is longer than %d", days, maxWindowDays)
			}
		}
		if !a.CreatedAt.IsZero() && !a.End.IsZero() && a.CreatedAt.After(a.End) {
			c := top("created_at")
			b.Addf(m.Member("created_at").Line(), &c, "the account was created after its window ends")
		}
	}
	a.Requests = b.count(m, "requests")
	a.OutputTokens = b.count(m, "output_tokens")
	if n := b.Field(m, nil, "identifiers"); n != nil {
		if f := top("identifiers"); b.IsMap(n, &f) {
			b.Only(n, &f, identifierFields)
			for i, id := range Identifiers {
				a.IDs[i] = b.values(n, &f, id)
			}
		}
	}
	if n := b.Field(m, nil, "countries"); n != nil {
		if f := top("countries"); b.IsMap(n, &f) {
			b.Only(n, &f, countryFields)
			a.Countries.Declared = b.Country(n, &f, "declared", false, b.vocab.Country)
			a.Countries.Billing = b.Country(n, &f, "billing", false, b.vocab.Country)
			a.Countries.IPMajority = b.Country(n, &f, "ip_majority", false, b.vocab.Country)
		}
	}
	for i := range a.Usage {
		a.Usage[i] = -1
	}
	if n := b.Field(m, nil, "usage"); n != nil {
		if f := top("usage"); b.IsMap(n, &f) {
			b.Only(n, &f, Usage)
			for i, u := range Usage {
				if v := b.Number(n, &f, u, record.NonNegative); v != nil {
					if *v > 1 {
						e := f.Key(u)
						b.Addf(n.Line(), &e, "a share is between 0 and 1, got %g", *v)
						continue
					}
					a.Usage[i] = *v
				}
			}
		}
	}
	a.MinHash = b.minhash(m)
	switch s := b.Str(m, nil, "status"); s {
	case "", StatusActive:
	case StatusDenied:
		a.Status = StatusDenied
	default:
		f := top("status")
		b.Addf(m.Member("status").Line(), &f, "unknown status %q (want active or denied)", s)
	}
	a.StatusReason = b.Str(m, nil, "status_reason")
	return a
}

// count reads a required whole number of 0 or more.
func (b *builder) count(m *record.Node, key string) float64 {
	n := b.Field(m, nil, key)
	if n == nil {
		b.Required(m, nil, key)
		return 0
	}
	v := b.Number(m, nil, key, record.NonNegative)
	if v == nil {
		return 0
	}
	if *v != math.Trunc(*v) {
		f := top(key)
		b.Addf(n.Line(), &f, "must be a whole number, got %g", *v)
	}
	return *v
}

// timestamp reads a required RFC 3339 time.
func (b *builder) timestamp(m *record.Node, p *record.Path, key string) time.Time {
	n := b.Field(m, p, key)
	if n == nil {
		b.Required(m, p, key)
		return time.Time{}
	}
	f := p.Key(key)
	s := b.Text(n, &f)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if d, derr := time.Parse(time.DateOnly, s); derr == nil {
			return d
		}
		b.Addf(n.Line(), &f, "expected a time such as 2026-11-26T00:00:00Z, got %q", s)
		return time.Time{}
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		b.Addf(n.Line(), &f, "%s is not a plausible time", s)
		return time.Time{}
	}
	return t.UTC()
}

// values reads an identifier: one value, or a list of values (the account
// rotated it within the window). Values are compared as written, trimmed;
// an empty one is a problem, since it would link every account that
// wrote it.
func (b *builder) values(m *record.Node, p *record.Path, key string) []string {
	n := b.Field(m, p, key)
	if n == nil {
		return nil
	}
	f := p.Key(key)
	one := func(e *record.Node, ef *record.Path) (string, bool) {
		s := b.Text(e, ef)
		switch {
		case !e.Kind().Scalar():
			return "", false
		case s == "":
			b.Addf(e.Line(), ef, "must not be empty (leave the identifier out instead)")
			return "", false
		case len(s) > maxIdentifierSz:
			b.Addf(e.Line(), ef, "longer than %d bytes", maxIdentifierSz)
			return "", false
		}
		return s, true
	}
	if n.Kind() != record.ListNode {
		if s, ok := one(n, &f); ok {
			return []string{s}
		}
		return nil
	}
	if n.Len() > maxValues {
		b.Addf(n.Line(), &f, "%d values: at most %d", n.Len(), maxValues)
		return nil
	}
	var out []string
	i := 0
	for e := n.First(); e != nil; e, i = e.Next(), i+1 {
		ef := f.At(i)
		if s, ok := one(e, &ef); ok && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// minhash reads prompt_minhash: unsigned 32-bit integers. An empty list is
// the same as none.
func (b *builder) minhash(m *record.Node) []uint32 {
	l := b.List(m, nil, "prompt_minhash")
	if l == nil {
		return nil
	}
	f := top("prompt_minhash")
	if l.Len() > maxMinHash {
		b.Addf(l.Line(), &f, "%d values: at most %d", l.Len(), maxMinHash)
		return nil
	}
	out := make([]uint32, 0, l.Len())
	i := 0
	for e := l.First(); e != nil; e, i = e.Next(), i+1 {
		v, err := strconv.ParseUint(strings.TrimSpace(e.Text()), 10, 32)
		if err != nil || !(e.Kind() == record.NumberNode || e.Kind() == record.StringNode && e.Plain()) {
			ef := f.At(i)
			b.Addf(e.Line(), &ef, "expected an unsigned 32-bit integer, got %q", e.Text())
			return nil
		}
		out = append(out, uint32(v))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
