package chipcheck.authorization

import data.chipcheck.lib
import data.chipcheck.place

# Part 746 embargoes (data.chipcheck.embargo) as the authorization
# judgments see them. Kept apart from authorization.rego.

# How BIS reviews an application under a Part 746 embargo: the embargo's
# own policy (rules/embargoes.yaml), which data.chipcheck.embargo puts on
# its requirements. No clause of review_policy in authorization.rego
# matches this kind.
review_policy(req) := req.review if req.kind == "embargo"

# chipcheck never releases an export to an embargoed destination on its
# own: even with a license on file (verified against the register when one
# is configured) a person confirms the license's conditions and the
# sanctions programmes before shipment.
covered_outcome(req) := "review" if req.kind == "embargo"

else := "allow"

covered_note(req) := "; an export to an embargoed destination is never released without a person, who confirms the license's conditions before shipment" if {
	req.kind == "embargo"
} else := ""

# An export to a country that embargoes cover only in part (Ukraine) whose
# region the order does not give: an embargo may apply, so nothing may say
# that no license is needed (data.chipcheck.embargo reviews it).
embargo_region_unknown if {
	object.get(input, "destination_region", "") == ""
	data.rules.embargoes.regions[place.at(input.destination).code]
	not lib.domestic(input.ship_from, input.destination)
}

# What NO-LICENSE-REQUIRED has checked, for its message.
checked_text := concat("; ", [
	"controls checked: ECCN 3A090/4A090 classification",
	"destination, headquarters and HBM license requirements (15 CFR 742.6(a)(6))",
	"end-use controls for the declared end uses (15 CFR 744)",
	"embargoes and OFAC country programmes (15 CFR 746, 31 CFR chapter V)",
	"is-informed letters when an exporter is configured",
	"restricted parties: see the SCREEN reasons",
])
