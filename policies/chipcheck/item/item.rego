# METADATA
# title: Judgments about one classified item
# description: |
#   Everything the order rules need to know about one order line that does
#   not depend on the rest of the order: which license-requirement versions
#   its ECCN falls under, whether License Exceptions can cover it, whether it
#   is inside the case-by-case band's figures, GP10, and which is-informed
#   letters' item criteria it meets. A pure function of (item, date) that
#   compares the date only with dates from data.rules, so the engine
#   evaluates it once per chip specification and interval between rule
#   dates and passes the result in each item's `judged` field.
package chipcheck.item

import data.chipcheck.lib

# input: {item: <an order line as in data.chipcheck.order's input.items>, date}
judged := judge(input.item, input.date)

# One view per stage: each stage sees only the judgments it needs, so that
# items that differ in nothing a stage reads are one class to that stage
# (and share its cached results).
judge(it, d) := {
	"destination": {
		"eccn": it.eccn,
		"destination": in_scope(data.rules.license.destination, it, d),
		"hbm": in_scope(data.rules.license.hbm, it, d),
		"diffusion": diffusion(it, d),
	},
	"party": {
		"eccn": it.eccn,
		"headquarters": in_scope(data.rules.license.headquarters, it, d),
	},
	"letters": {
		"eccn": it.eccn,
		"letters": [l.id | some l in data.rules.is_informed.letters; lib.in_force(l, d); letter_item(l, it)],
	},
	"authorization": {
		"eccn": it.eccn,
		"exceptions": {code: ineligible(exc, it) | some code, exc in data.rules.exceptions},
		"band": band(it, d),
	},
	# The authorization view without exception eligibility, for orders that
	# claim no License Exception.
	"review": {
		"eccn": it.eccn,
		"band": band(it, d),
	},
	"line": {
		"eccn": it.eccn,
		"gp10": gp10(it, d),
		"unclassified": unclassified(it),
	},
}

# Why the item's ECCN is unknown (null when it is known).
unclassified(it) := it.why if it.eccn == "unknown"

else := null

# "3A090.a (TPP 15831.2, PD 19.45)", for messages.
text(it) := sprintf("%s (TPP %s, PD %s)", [it.eccn, num(object.get(it, "tpp", null)), num(object.get(it, "pd", null))])

num(x) := sprintf("%v", [x]) if is_number(x)

else := "not given"

# The chips an item is or contains.
chips_of(it) := it.contains if count(object.get(it, "contains", [])) > 0

else := [it]

# The item's ECCN is among those the version in force on d lists.
in_scope(versions, it, d) if it.eccn in lib.current(versions, d).items

else := false

diffusion(it, d) if {
	d >= data.rules.diffusion.from
	it.eccn in data.rules.diffusion.items
} else := false

# Why License Exception exc cannot cover the item (null if it can). A
# 3A090.a item designed or marketed for datacenters never qualifies; one that
# does not say is treated as one.
ineligible(exc, it) := sprintf("designed or marketed for datacenters (or contain such a 3A090.a IC), which %s never covers", [exc.code]) if {
	datacenter_a(it)
} else := sprintf("not covered by %s", [exc.code]) if {
	not it.eccn in exc.items
} else := null

datacenter_a(it) if {
	it.eccn == "3A090.a"
	not it.datacenter == false
}

datacenter_a(it) if {
	it.eccn == "4A090.a"
	some c in it.contains
	c.eccn == "3A090.a"
	not c.datacenter == false
}

# Every chip of the item is below both figures of the case-by-case band
# (a chip without either figure is outside it); null before the band exists.
band(it, d) := null if d < data.rules.license.review_policy.case_by_case.from

else if {
	b := data.rules.license.review_policy.case_by_case
	every c in chips_of(it) {
		is_number(c.tpp)
		c.tpp < b.tpp_below
		is_number(c.memory_bandwidth_gbs)
		c.memory_bandwidth_gbs < b.dram_bandwidth_below_gbs
	}
} else := false

# Why GP10 reaches the item (null if it does not).
gp10(it, d) := concat("; ", whys) if {
	g := data.rules.gp10
	lib.in_force(g, d)
	whys := [w | some c in chips_of(it); w := gp10_why(c)]
	count(whys) > 0
} else := null

gp10_why(c) := sprintf("%s is named in BIS's GP10 guidance", [object.get(c, "name", "the IC")]) if {
	c.gp10_named == true
} else := sprintf("%s is %s and was designed in %s", [object.get(c, "name", "the IC"), c.eccn, c.designer_country]) if {
	lib.country(c.designer_country) in data.rules.gp10.designer_countries
	c.eccn in data.rules.gp10.items
}

letter_item(letter, it) if {
	some c in chips_of(it)
	object.get(c, "catalog", "") in letter.catalog
}

letter_item(letter, it) if {
	some c in chips_of(it)
	some k, v in letter.reaches
	is_number(c[k])
	c[k] >= v
}
