# Tests of authorization/embargo.rego: Part 746 embargoes as the
# authorization judgments see them.
package chipcheck.authorization

import data.chipcheck.fixtures as fx

# NO-LICENSE-REQUIRED says what it checked: the embargoes among them.
test_nlr_names_controls_checked if {
	m := nlr({"items": [fx.it_none]}).message
	contains(m, "controls checked: ECCN 3A090/4A090 classification")
	contains(m, "embargoes and OFAC country programmes (15 CFR 746, 31 CFR chapter V)")
}

# A destination that embargoes cover in part, with no region: neither "no
# license required" nor "authorization not needed".
test_nlr_withheld_when_embargo_region_unknown if {
	si := object.union(claims_input({"dest": "UA", "items": [fx.it_none]}), {"requirements": []})
	fx.no_rule(reasons, "NO-LICENSE-REQUIRED") with input as si
	fx.the(reasons, "NO-LICENSE-REQUIRED") with input as object.union(si, {"destination_region": "other"})
	lic := object.union(si, {"license": {"type": "license", "numbered": true}})
	fx.no_rule(reasons, "EAR-AUTHORIZATION-NOT-NEEDED") with input as lic
	fx.the(reasons, "EAR-AUTHORIZATION-NOT-NEEDED") with input as object.union(lic, {"destination_region": "other"})

	# a domestic order needs no region
	fx.the(reasons, "NO-LICENSE-REQUIRED") with input as object.union(si, {"destination": "US", "ship_from": "US"})
}

# An embargo requirement is reviewed under the embargo's own policy.
test_embargo_review_policy if {
	req := {"kind": "embargo", "review": {"policy": "denial", "citation": "15 CFR 746.8(a)(1), (b)"}}
	review_policy(req) == {"policy": "denial", "citation": "15 CFR 746.8(a)(1), (b)"}
	"embargo" in license_kinds
	not "embargo" in exception_kinds
}
