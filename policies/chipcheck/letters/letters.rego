# METADATA
# title: Is-informed letters stage
# description: |
#   License requirements BIS imposed on one exporter by letter. A letter
#   binds only its addressee, so it applies only when chipcheck's configured
#   exporter is one of the letter's exporter_names. Two steps, as in
#   data.chipcheck.destination.
#
#   input of requirements: {date, destination, ship_from, exporter,
#           parties: [{role, parent, headquarters}],
#           items: [{class, eccn, letters}]}   (the "letters" item view)
#     parties  every party, and every ultimate parent (parent: true, with
#              the party's role), whose headquarters is given
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
	input.exporter != ""
	some letter in data.rules.is_informed.letters
	addressed(letter)
	lib.in_force(letter, input.date)
	cs := [c | some c in input.items; letter.id in c.letters]
	count(cs) > 0
	where := reach(letter)
	export
	req := object.union(
		authorization.requirement(
			rego.metadata.rule(), "is_informed", cs, letter.citation,
			sprintf("BIS letter %s to %s covers items it names (ECCN %s) %s", [letter.id, input.exporter, concat(", ", sort({c.eccn | some c in cs})), where]),
			{"letter": letter.id},
		),
		{"key": letter.id},
	)
}

# The reason of one of these requirements (input as in
# data.chipcheck.authorization).
requirement_reasons contains object.union(
	authorization.requirement_reason(input.requirement, input.requirement.what),
	{"key": input.requirement.key},
)

addressed(letter) if {
	some n in letter.exporter_names
	lower(n) == lower(trim_space(input.exporter))
}

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
