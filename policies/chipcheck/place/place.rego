# METADATA
# title: Facts about one country on one date
# description: |
#   Everything the order rules need to know about a country on a date:
#   Country Groups, the named sets, which license-requirement versions and
#   end-use controls reach it, and which is-informed letters name it. A pure
#   function of (country, date) that compares the date only with dates from
#   data.rules, so the engine evaluates it once per country and interval
#   between consecutive rule dates and passes the result in input.places.
package chipcheck.place

import data.chipcheck.lib

facts := of(input.country, input.date)

# The facts of country c on the stage's date: from input.places when the
# engine supplied them (it caches them per interval), else computed.
at(c) := p if {
	p := input.places[c]
} else := of(c, input.date)

of(given, d) := {
	"given": given,
	"code": c,
	"groups": lib.groups_text(c, d),
	"macau_d5": named(c, d, "macau_d5"),
	"d1_d4": named(c, d, "d1_d4"),
	"destination": scope(data.rules.license.destination, c, d),
	"headquarters": scope(data.rules.license.headquarters, c, d),
	"hbm": scope(data.rules.license.hbm, c, d),
	"end_use": {name: ctl.citation |
		some name, ctl in data.rules.end_use.controls
		lib.in_force(ctl, d)
		lib.in_set(ctl.where, c, d)
	},
	"diffusion": diffusion(c, d),
	"letters": {l.id |
		some l in data.rules.is_informed.letters
		lib.in_force(l, d)
		lib.in_set(l.destinations, c, d)
	},
	"band": band(c, d),
} if {
	c := lib.country(given)
}

named(c, d, name) if lib.in_named(name, c, d)

else := false

# The version of an effective-dated requirement in force on d, if it reaches
# country c; else null.
scope(versions, c, d) := {"items": v.items, "citation": v.citation} if {
	v := lib.current(versions, d)
	lib.in_set(v, c, d)
} else := null

diffusion(c, d) if {
	d >= data.rules.diffusion.from
	not c in data.rules.diffusion.exempt_countries
} else := false

# Destination and date half of the case-by-case band; the origin and item
# figures are checked per order.
band(c, d) if {
	b := data.rules.license.review_policy.case_by_case
	d >= b.from
	c in b.destinations
} else := false

# Where a country sits, for messages: "CN (Country Groups D:1, D:4, D:5)",
# "HK (read as CN; Country Groups ...)".
text(p) := sprintf("%s (%s)", [p.code, groups(p)]) if {
	p.given == p.code
} else := sprintf("%s (read as %s; %s)", [p.given, p.code, groups(p)])

groups(p) := sprintf("Country Groups %s", [p.groups]) if p.groups != ""

else := "in no Country Group"
