# METADATA
# title: ECCN 3A090 / 4A090 classification
# description: |
#   Classifies one chip (input.chip) or one computer or assembly
#   (input.contains: [{count, chip}]) under the regime in force on
#   input.date. Thresholds come from data.rules.classification; the date is
#   read only to pick the regime, so results can be cached per regime.
package chipcheck.classify

import data.chipcheck.lib

regime := lib.current(data.rules.classification.regimes, input.date)

result := finish(chip_class(input.chip, regime), input.chip) if input.chip

result := assembly_class(input.contains, regime) if input.contains

# ---- figures ---------------------------------------------------------------

# Processing units: the package-level figures count once, each listed die
# `count` times.
units(chip) := array.concat(
	[{"count": 1, "performance": object.get(chip, "performance", [])}],
	[{"count": object.get(d, "count", 1), "performance": object.get(d, "performance", [])} |
		some d in object.get(chip, "dies", [])
	],
)

# TPP: per number format, dense TOPS x bit length summed over the units; the
# highest format counts.
tpp(chip) := max(vals) if {
	us := units(chip)
	formats := {p.format | some u in us; some p in u.performance}
	vals := [sum(per_unit) |
		some f in formats
		per_unit := [x | some u in us; some p in u.performance; p.format == f; x := (u.count * p.tops) * p.bits]
	]
	count(vals) > 0
}

# Applicable die area: the package figure, else the sum over dies when every
# die gives one.
area(chip) := chip.die_area_mm2

area(chip) := a if {
	not chip.die_area_mm2
	dies := object.get(chip, "dies", [])
	count(dies) > 0
	every d in dies { d.die_area_mm2 > 0 }
	a := sum([x | some d in dies; x := object.get(d, "count", 1) * d.die_area_mm2])
}

pd(chip) := tpp(chip) / area(chip)

datacenter_text(chip) := "designed or marketed for datacenters" if chip.datacenter == true

else := "not designed or marketed for datacenters" if chip.datacenter == false

else := "datacenter design or marketing not stated"

# ---- chip classification ---------------------------------------------------

chip_class(chip, r) := c if {
	chip.hbm
	c := hbm_class(chip, r)
} else := c if {
	not tpp(chip)
	c := unknown("no performance figures given: TPP cannot be computed")
} else := c if {
	r.test == "none"
	c := none(sprintf("ECCN 3A090 did not exist yet (%s)", [r.note]))
} else := c if {
	r.test == "tpp_interconnect"
	c := oct2022(chip, r)
} else := c if {
	r.test == "tpp_pd"
	c := oct2023(chip, r)
}

oct2022(chip, r) := old_a(chip, r) if {
	tpp(chip) >= r.a.tpp_min
	chip.interconnect_gbs >= r.a.interconnect_min_gbs
} else := unknown(sprintf("TPP %v >= %v but aggregate interconnect bandwidth not given (the Oct 2022 test needs both)", [lib.round2(tpp(chip)), r.a.tpp_min])) if {
	tpp(chip) >= r.a.tpp_min
	not chip.interconnect_gbs
} else := none(sprintf("below the Oct 2022 3A090.a test (TPP %v >= %v and interconnect %s >= %v GB/s)", [lib.round2(tpp(chip)), r.a.tpp_min, lib.num(object.get(chip, "interconnect_gbs", null)), r.a.interconnect_min_gbs]))

oct2023(chip, r) := a1(chip, r) if {
	tpp(chip) >= r.a1.tpp_min
} else := note_non_datacenter(chip, r) if {
	chip.datacenter == false
	tpp(chip) < r.non_datacenter_tpp_below
} else := none(sprintf("TPP %v is below every 3A090 TPP floor (%v)", [lib.round2(tpp(chip)), floor_tpp(r)])) if {
	tpp(chip) < floor_tpp(r)
} else := unknown(sprintf("TPP %v is between %v and %v, so performance density decides, but the applicable die area is not given", [lib.round2(tpp(chip)), floor_tpp(r), r.a1.tpp_min])) if {
	not area(chip)
} else := unknown(sprintf("%s (ECCN %s) applies only to parts designed or marketed for datacenters (TPP %v < %v), and the record does not say whether this one is", [c.paragraph, c.eccn, lib.round2(tpp(chip)), r.non_datacenter_tpp_below])) if {
	c := pd_class(chip, r)
	c.eccn != "none"
	not is_boolean(object.get(chip, "datacenter", null))
} else := pd_class(chip, r)

floor_tpp(r) := min([r.a2.tpp_min, r.b1.tpp_min, r.b2.tpp_min])

# Performance-density prongs, for a datacenter part with TPP below .a.1.
pd_class(chip, r) := a2(chip, r) if {
	tpp(chip) >= r.a2.tpp_min
	pd(chip) >= r.a2.pd_min
} else := b1(chip, r) if {
	tpp(chip) >= r.b1.tpp_min
	tpp(chip) < r.b1.tpp_below
	pd(chip) >= r.b1.pd_min
	pd(chip) < r.b1.pd_below
} else := b2(chip, r) if {
	tpp(chip) >= r.b2.tpp_min
	pd(chip) >= r.b2.pd_min
	pd(chip) < r.b2.pd_below
} else := none(sprintf("TPP %v with PD %v meets no 3A090 prong", [lib.round2(tpp(chip)), lib.round2(pd(chip))]))

# ---- computers and assemblies (4A090) --------------------------------------

assembly_class(contained, r) := object.union(shape(level, top(parts, "tpp"), top(parts, "pd")), {"contains": parts}) if {
	parts := [object.union(finish(chip_class(c.chip, r), c.chip), {"count": object.get(c, "count", 1)}) | some c in contained]
	level := assembly_level(parts)
}

# The highest figure among the contained ICs (for display: the class is
# decided by assembly_level).
top(parts, fig) := max(xs) if {
	xs := [p[fig] | some p in parts; p[fig] != null]
	count(xs) > 0
} else := null

# ECCN 4A090 reaches computers, assemblies and components "containing
# integrated circuits, any of which" meets 3A090 (88 FR 73458): each IC is
# tested on its own, and TPP is not added up across the ICs of one board
# (the dies of one IC package are, by the TPP Technical Note, in the chip's
# own figures). The level is the highest one a contained IC proves; an IC
# that cannot be classified does not lower it, and data.chipcheck.item
# sends such a line to review whatever else it contains.
assembly_level(parts) := a4(parts, "4A090.a", "3A090.a") if {
	some p in parts
	p.eccn == "3A090.a"
} else := a4(parts, "4A090.b", "3A090.b") if {
	some p in parts
	p.eccn == "3A090.b"
} else := unknown("a contained IC cannot be classified") if {
	some p in parts
	p.eccn == "unknown"
} else := none("contains no IC meeting 3A090.a or 3A090.b")

# ---- leaves: one per classification outcome --------------------------------

# METADATA
# title: ECCN 3A090.a.1
# description: IC with TPP of 4800 or more
# custom:
#   id: ECCN-3A090.a.1
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.a.1 (88 FR 73458)"
a1(chip, r) := {
	"eccn": "3A090.a",
	"paragraph": "3A090.a.1",
	"message": sprintf("3A090.a.1: TPP %v >= %v; %s", [lib.round2(tpp(chip)), r.a1.tpp_min, datacenter_text(chip)]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: ECCN 3A090.a.2
# description: IC with TPP of 1600 or more and performance density of 5.92 or more
# custom:
#   id: ECCN-3A090.a.2
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.a.2 (88 FR 73458)"
a2(chip, r) := {
	"eccn": "3A090.a",
	"paragraph": "3A090.a.2",
	"message": sprintf("3A090.a.2: TPP %v >= %v and PD %v >= %v; %s", [lib.round2(tpp(chip)), r.a2.tpp_min, lib.round2(pd(chip)), r.a2.pd_min, datacenter_text(chip)]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: ECCN 3A090.b.1
# description: IC with TPP from 2400 to below 4800 and performance density from 1.6 to below 5.92
# custom:
#   id: ECCN-3A090.b.1
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.b.1 (88 FR 73458)"
b1(chip, r) := {
	"eccn": "3A090.b",
	"paragraph": "3A090.b.1",
	"message": sprintf("3A090.b.1: %v <= TPP %v < %v and %v <= PD %v < %v; %s", [r.b1.tpp_min, lib.round2(tpp(chip)), r.b1.tpp_below, r.b1.pd_min, lib.round2(pd(chip)), r.b1.pd_below, datacenter_text(chip)]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: ECCN 3A090.b.2
# description: IC with TPP of 1600 or more and performance density from 3.2 to below 5.92
# custom:
#   id: ECCN-3A090.b.2
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.b.2 (88 FR 73458)"
b2(chip, r) := {
	"eccn": "3A090.b",
	"paragraph": "3A090.b.2",
	"message": sprintf("3A090.b.2: TPP %v >= %v and %v <= PD %v < %v; %s", [lib.round2(tpp(chip)), r.b2.tpp_min, r.b2.pd_min, lib.round2(pd(chip)), r.b2.pd_below, datacenter_text(chip)]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: Former ECCN 3A090.a (October 2022 text)
# description: IC with TPP of 4800 or more and aggregate interconnect of 600 GB/s or more
# custom:
#   id: ECCN-3A090.a-2022
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.a as of 87 FR 62186 (Oct 2022)"
old_a(chip, r) := {
	"eccn": "3A090.a",
	"paragraph": "3A090.a (Oct 2022)",
	"message": sprintf("3A090.a (Oct 2022 text): TPP %v >= %v and interconnect %v >= %v GB/s", [lib.round2(tpp(chip)), r.a.tpp_min, chip.interconnect_gbs, r.a.interconnect_min_gbs]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: Note to 3A090 (non-datacenter parts)
# description: 3A090 does not apply to ICs not designed or marketed for datacenters with TPP below 4800
# custom:
#   id: ECCN-3A090-NOTE
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090, Note (88 FR 73458)"
note_non_datacenter(chip, r) := {
	"eccn": "none",
	"paragraph": "",
	"message": sprintf("not 3A090: not designed or marketed for datacenters and TPP %v < %v (Note to 3A090)", [lib.round2(tpp(chip)), r.non_datacenter_tpp_below]),
	"meta": rego.metadata.rule(),
}

# METADATA
# title: ECCN 3A090.c (bare HBM)
# description: High-bandwidth memory stack with memory bandwidth density above 2 GB/s per mm2
# custom:
#   id: ECCN-3A090.c
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090.c (89 FR 96790)"
hbm_class(chip, r) := c if {
	r.hbm != null
	density := chip.hbm.bandwidth_gbs / chip.hbm.package_area_mm2
	density > r.hbm.density_above_gbs_per_mm2
	c := {
		"eccn": "3A090.c",
		"paragraph": "3A090.c",
		"message": sprintf("3A090.c: memory bandwidth density %v GB/s/mm2 > %v", [lib.round2(density), r.hbm.density_above_gbs_per_mm2]),
		"meta": rego.metadata.rule(),
	}
} else := none(sprintf("HBM with bandwidth density %v GB/s/mm2 is not 3A090.c under the rule in force", [lib.round2(chip.hbm.bandwidth_gbs / chip.hbm.package_area_mm2)]))

# METADATA
# title: ECCN 4A090 (computers and assemblies)
# description: Computer, electronic assembly or component containing an IC that meets 3A090.a (4A090.a) or 3A090.b (4A090.b)
# custom:
#   id: ECCN-4A090
#   citation: "15 CFR 774 Supp. 1, ECCN 4A090 (88 FR 73458)"
a4(parts, eccn, chip_eccn) := {
	"eccn": eccn,
	"paragraph": eccn,
	"message": sprintf("%s: contains %v IC(s) meeting %s (%s)", [eccn, sum([p.count | some p in parts; p.eccn == chip_eccn]), chip_eccn, concat("; ", hits)]),
	"meta": rego.metadata.rule(),
} if {
	hits := [p.reasons[0].message | some p in parts; p.eccn == chip_eccn]
}

# METADATA
# title: Not 3A090/4A090
# description: Item below every 3A090/4A090 parameter (other ECCNs and end-use controls may still apply)
# custom:
#   id: ECCN-NONE
#   citation: "15 CFR 774 Supp. 1, ECCNs 3A090 and 4A090"
none(why) := {"eccn": "none", "paragraph": "", "message": sprintf("not 3A090/4A090: %s", [why]), "meta": rego.metadata.rule()}

# METADATA
# title: Classification unknown
# description: The figures given cannot decide the ECCN; the record goes to review
# custom:
#   id: ECCN-UNKNOWN
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes (88 FR 73458)"
unknown(why) := {"eccn": "unknown", "paragraph": "", "message": sprintf("ECCN unknown: %s", [why]), "meta": rego.metadata.rule()}

# ---- output ----------------------------------------------------------------

finish(c, chip) := shape(c, tpp_fig(chip), pd_fig(chip))

shape(c, t, p) := {
	"eccn": c.eccn,
	"paragraph": c.paragraph,
	"tpp": t,
	"pd": p,
	"regime": regime.id,
	"reasons": [{
		"rule": c.meta.custom.id,
		"outcome": outcome(c.eccn),
		"message": c.message,
		"citation": c.meta.custom.citation,
	}],
}

tpp_fig(chip) := x if x := lib.round2(tpp(chip))

else := null

pd_fig(chip) := x if x := lib.round2(pd(chip))

else := null

outcome(eccn) := "review" if eccn == "unknown"

else := "allow"
