# METADATA
# title: Is-informed letters stage
# description: |
#   License requirements BIS imposed on one exporter by letter. A letter
#   binds only its addressee, so it applies only to orders whose exporter
#   (the order's own exporter, else the configured one) is the letter's
#   addressee or one of its aliases; chipcheck compares normalised legal
#   names in Go and gives the ids of the letters addressed to it. With no
#   exporter known, an order the letter would reach is reviewed. Two steps,
#   as in data.chipcheck.destination.
#
#   input of requirements: {date, destination, ship_from,
#           exporter: {known, letters: [letter ids addressed to it]},
#           parties: [{role, parent, headquarters}],
#           items: [{class, eccn, letters}]}   (the "letters" item view)
#     parties  every party, and every ultimate parent (parent: true, with
#              the party's role), headquartered where a letter names
#     items    the order's items some letter reaches
#     Both are empty when the exporter is known and no letter is
#     addressed to it: no letter can then apply (so orders share this
#     stage's results by date and place alone).
#   (date as in data.chipcheck.destination)
package chipcheck.letters

import data.chipcheck.authorization
import data.chipcheck.lib
import data.chipcheck.place

dest := place.at(input.destination)

export if not lib.domestic(input.ship_from, input.destination)

# METADATA
# title: Is-informed letter
# description: BIS has informed the configured exporter that these items need a license for these destinations or parties
# custom:
#   id: EAR-IS-INFORMED
#   citation: "15 CFR 744.21(b), 744.23(b) (is-informed letters)"
requirements contains req if {
	some letter in data.rules.is_informed.letters
	letter.id in input.exporter.letters
	[cs, where] := reaches(letter)
	req := object.union(
		authorization.requirement(
			rego.metadata.rule(), "is_informed", cs, letter.citation,
			sprintf("BIS letter %s to %s covers items it names (ECCN %s) %s", [letter.id, letter.addressee, concat(", ", sort({c.eccn | some c in cs})), where]),
			{"letter": letter.id},
		),
		{"key": letter.id},
	)
}

# The order's items a letter in force reaches, and where it reaches the
# order, if it does.
reaches(letter) := [cs, where] if {
	lib.in_force(letter, input.date)
	cs := [c | some c in input.items; letter.id in c.letters]
	count(cs) > 0
	where := reach(letter)
	export
}

# METADATA
# title: Is-informed letter, exporter unknown
# description: No exporter is known (neither the order's exporter nor --exporter), and an is-informed letter would reach the order if its addressee were the exporter
# custom:
#   id: EAR-IS-INFORMED-EXPORTER-UNKNOWN
#   citation: "15 CFR 744.21(b), 744.23(b) (is-informed letters)"
reasons contains r if {
	not input.exporter.known
	some letter in data.rules.is_informed.letters
	[cs, where] := reaches(letter)
	r := object.union(
		lib.reason(
			rego.metadata.rule(), "review",
			sprintf("no exporter is known (give the order's exporter or --exporter): BIS letter %s to %s covers items on this order (ECCN %s) %s, and binds the order if %s is the exporter", [letter.id, letter.addressee, concat(", ", sort({c.eccn | some c in cs})), where, letter.addressee]),
			letter.citation, {"letter": letter.id},
		),
		{"about": {"classes": lib.class_ids(cs)}, "key": letter.id},
	)
}

# The reason of one of these requirements (input as in
# data.chipcheck.authorization).
requirement_reasons contains object.union(
	authorization.requirement_reason(input.requirement, input.requirement.what),
	{"key": input.requirement.key},
)

reach(letter) := sprintf("for destination %s", [place.text(dest)]) if {
	letter.id in dest.letters
} else := texts[0] if {
	letter.headquarters == true
	lib.country(input.destination) != data.rules.license.domestic
	texts := sort([t |
		some p in input.parties
		hq := place.at(p.headquarters)
		letter.id in hq.letters
		t := sprintf("because the %s%s is headquartered in %s", [p.role, whose(p), place.text(hq)])
	])
	count(texts) > 0
}

whose(p) := "'s ultimate parent" if p.parent

else := ""
