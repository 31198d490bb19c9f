# Facts about the order every rule of this package reads. Nothing here fires.
#
# input (built by the engine from the record and the Go-computed facts):
#   order:     {id, date, ship_from, destination, exporter, end_use: {codes}, license, red_flags}
#              date is the effective date (--as-of overrides the record's)
#   items:     [{sku, quantity, name, catalog, eccn, paragraph, tpp, pd, why,
#                datacenter, designer_country, gp10_named, memory_bandwidth_gbs,
#                interconnect_gbs, contains: [{...same chip fields}],
#                judged: data.chipcheck.item.judge(item, date)}]
#              (judged is optional: computed here when absent; the engine
#              supplies it from a cache per chip specification)
#   parties:   [{role, name, country, headquarters, ultimate_parent: {name, headquarters}}]
#   places:    {<country code as written>: data.chipcheck.place.of(code, date)}
#              (optional: computed here when absent; the engine supplies it
#              from a cache so that each country is worked out once per date
#              interval, not once per order)
#   screening: [{party, party_name, list, entry, entry_id, matched, score, ...}]
#   screened:  whether restricted-party screening ran
#   config:    {exporter}
package chipcheck.order

import data.chipcheck.item
import data.chipcheck.place

date := input.order.date

# Judgments of an order line.
judged(it) := j if {
	j := it.judged
} else := item.judge(it, date)

# Place facts of country code c as written on the order.
pl(c) := p if {
	p := input.places[c]
} else := place.of(c, date)

dest_place := pl(input.order.destination)

dest := dest_place.code

ship_from := pl(input.order.ship_from).code

end_uses := object.get(input.order, "end_use", {"codes": []}).codes

# A shipment from the US to the US is not an export: no export license rule
# applies (GP10, red flags and screening still do).
domestic if {
	ship_from == data.rules.license.domestic
	dest == data.rules.license.domestic
}

export if not domestic

# Where a country sits, for messages: "CN (Country Groups D:1, D:4, D:5)",
# "HK (read as CN; Country Groups ...)".
place_text(p) := sprintf("%s (Country Groups %s)", [p.code, p.groups]) if {
	p.given == p.code
} else := sprintf("%s (read as %s; Country Groups %s)", [p.given, p.code, p.groups])

item_text(it) := sprintf("%s is %s", [it.sku, item.text(it)])

items_text(its) := concat("; ", [item_text(it) | some it in its])

item_facts(its) := [{"sku": it.sku, "eccn": it.eccn, "tpp": it.tpp, "pd": it.pd} | some it in its]

# Headquarters facts: each party's own headquarters and its ultimate
# parent's, with the place facts of that country.
hq_facts contains {"key": sprintf("%s/self", [p.role]), "party": p, "parent": false, "place": pl(p.headquarters)} if {
	some p in input.parties
	p.headquarters
}

hq_facts contains {"key": sprintf("%s/parent", [p.role]), "party": p, "parent": true, "place": pl(p.ultimate_parent.headquarters)} if {
	some p in input.parties
	p.ultimate_parent.headquarters
}

# "buyer Acme Ltd is" / "buyer Acme Ltd's ultimate parent Acme Group is".
who(f) := sprintf("%s %s's ultimate parent %s is", [f.party.role, object.get(f.party, "name", ""), object.get(f.party.ultimate_parent, "name", "")]) if {
	f.parent
} else := sprintf("%s %s is", [f.party.role, object.get(f.party, "name", "")])

# Where the party itself is located (not its headquarters).
located(f) := pl(f.party.country).code if f.party.country

else := ""
