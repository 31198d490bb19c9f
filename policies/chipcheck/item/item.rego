# METADATA
# title: Judgments about one classified item
# description: |
#   Everything the order rules need to know about one order line that does
#   not depend on the rest of the order: which license-requirement versions
#   its ECCN falls under, whether it is a datacenter 3A090.a item (which no
#   License Exception covers), whether it is inside the case-by-case band's
#   figures, GP10, and which is-informed letters' item criteria it meets. A
#   pure function of (item, date) that compares the date only with dates
#   from data.rules, so the engine evaluates it once per chip specification
#   and interval between rule dates.
#
#   input (the query `line`): {date, chip: <spec>} or {date, contains: [{count, chip}]},
#   as data.chipcheck.classify reads it.
package chipcheck.item

import data.chipcheck.classify
import data.chipcheck.lib

# An order line's classification and its judgments, one view per stage.
line := {"classification": c, "judged": judge(item_of(input, c), input.date)} if c := classify.result

# The line as the judgments read it: the chip's own fields and its
# classification (for a computer or assembly, each contained chip's too).
item_of(x, c) := object.union(chip_fields(x.chip), class_fields(c)) if x.chip

item_of(x, c) := object.union(class_fields(c), {"contains": [object.union(chip_fields(part.chip), class_fields(c.contains[i])) |
	some i, part in x.contains
]}) if x.contains

chip_fields(chip) := object.filter(chip, {"name", "catalog", "designer_country", "datacenter", "gp10_named", "memory_bandwidth_gbs", "interconnect_gbs"})

class_fields(c) := {"eccn": c.eccn, "paragraph": c.paragraph, "tpp": c.tpp, "pd": c.pd, "why": why(c)}

why(c) := m if m := c.reasons[0].message

else := c.eccn

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
	# Whether a license authorizes the item (see
	# data.chipcheck.authorization.view).
	"authorization": {
		"eccn": it.eccn,
		"band": band(it, d),
		"incomplete": incomplete(it),
	},
	# Whether a license or License Exception authorizes the item.
	"exceptions": {
		"eccn": it.eccn,
		"band": band(it, d),
		"datacenter_a": datacenter_a(it),
		"incomplete": incomplete(it),
	},
	"line": {
		"eccn": it.eccn,
		"gp10": gp10(it, d),
		"unclassified": unclassified(it),
	},
}

# A computer containing an IC that cannot be classified: its ECCN is only
# a lower bound, so nothing may say that no license is required.
incomplete(it) if {
	some p in object.get(it, "contains", [])
	p.eccn == "unknown"
}

default incomplete(_) := false

# Why the item's ECCN is unknown, or why a computer's classification is
# incomplete (null when neither): a computer containing an IC that cannot
# be classified is reviewed whatever else it contains. Its ECCN stays the
# level the other ICs prove (4A090.a cannot rise; 4A090.b might be .a), so
# the requirements that level brings still apply.
unclassified(it) := it.why if it.eccn == "unknown"

else := sprintf("contains %v IC type(s) that cannot be classified (%s): the item is at least %s and may be more", [n, concat("; ", whys), it.eccn]) if {
	parts := [p | some p in object.get(it, "contains", []); p.eccn == "unknown"]
	n := count(parts)
	n > 0
	whys := sort({p.why | some p in parts})
}

else := null

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

# A 3A090.a item designed or marketed for datacenters, or a 4A090.a item
# containing one: no License Exception covers it. One whose record does not
# say is treated as one.
datacenter_a(it) if {
	it.eccn == "3A090.a"
	not it.datacenter == false
} else if {
	it.eccn == "4A090.a"
	some c in it.contains
	c.eccn == "3A090.a"
	not c.datacenter == false
} else := false

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
	x := figure(c, k)
	is_number(x)
	x >= v
}

# A chip figure a letter can reach: one of the chip's, or
# combined_bandwidth_gbs, its memory and interconnect bandwidth together
# (both must be given).
figure(c, "combined_bandwidth_gbs") := c.memory_bandwidth_gbs + c.interconnect_gbs if {
	is_number(c.memory_bandwidth_gbs)
	is_number(c.interconnect_gbs)
}

figure(c, k) := c[k] if k != "combined_bandwidth_gbs"
