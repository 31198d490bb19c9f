package orders

import "github.com/chipcheck/chipcheck/internal/record"

// The order fields the embargo and dating rules read: ship_date (the date
// of export, whose rules apply) and destination_region (the part of a
// destination country that rules/embargoes.yaml names, e.g. Crimea).

// JudgingDate is the date whose rules apply to an order: --as-of when
// given, else the ship date when the order gives one (the EAR applies at
// export), else the order date.
func JudgingDate(o *Order, asOf string) string {
	switch {
	case asOf != "":
		return asOf
	case o.ShipDate != "":
		return o.ShipDate
	}
	return o.Date
}

// shipping reads ship_date and destination_region, after date and
// destination.
func (b *builder) shipping(m *record.Node, o *Order) {
	o.ShipDate = b.Date(m, nil, "ship_date", false)
	if o.ShipDate != "" && o.Date != "" && o.ShipDate < o.Date {
		f := top("ship_date")
		b.Addf(m.Member("ship_date").Line(), &f, "%s is before the order date %s", o.ShipDate, o.Date)
		o.ShipDate = ""
	}
	o.DestinationRegion = b.Str(m, nil, "destination_region")
	if r := o.DestinationRegion; r != "" && o.Destination != "" && !b.vocab.Region(o.Destination, r) {
		f := top("destination_region")
		b.Addf(m.Member("destination_region").Line(), &f, "unknown region %q of destination %s (rules/embargoes.yaml regions)", r, o.Destination)
		o.DestinationRegion = ""
	}
}

// noticeDays is how many days before the export BIS was notified of a
// License Exception NAC claim: notice runs to the ship date when the order
// gives one (15 CFR 740.8: notice before shipment), else to the judging
// date. ok is false when no notification date is given.
func noticeDays(f *Facts, notified string) (n int, ok bool) {
	to := f.Date
	if f.Order.ShipDate != "" {
		to = f.Order.ShipDate
	}
	return days(notified, to)
}
