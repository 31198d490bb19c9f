# Unit tests of the license register stage (LICENSE-*). Input, as the
# engine builds it once per order that claims an authorization
# (internal/orders/stages.go, project.go, license_facts.go):
#   {destination, ship_from, places,
#    license: {type, numbered, notified, notice_days, register}}
# register is {configured: false} without a license register, else the
# licenses.Check of the claim with configured: true.
package chipcheck.register

import data.chipcheck.fixtures as fx

valid := {
	"configured": true, "found": true,
	"issued": "2026-01-15", "expires": "2028-01-15",
	"type": "export", "movement": "export",
	"not_yet_valid": false, "expired": false, "destination": true,
	"parties": [{"role": "consignee", "given": true, "named": true}],
	"quantity": {"limit": 100, "left": 60, "needed": 10},
	"value": {"limit": 3000000, "left": 2000000, "needed": 250000},
	"drawn": true,
}

# The reasons for a claim with register facts r (merged into valid unless
# r says configured), of a license type t.
reasons_for(t, r) := rs if {
	rs := reasons with input as {
		"destination": "AE", "ship_from": "US",
		"places": {"AE": data.chipcheck.place.of("AE", "2026-06-01"), "US": data.chipcheck.place.of("US", "2026-06-01")},
		"license": {"type": t, "numbered": true, "notified": false, "register": r},
	}
}

with_facts(r) := reasons_for("license", object.union(valid, r))

rules_of(rs) := {[x.rule, x.outcome] | some x in rs}

test_not_verified_without_a_register if {
	rs := reasons_for("license", {"configured": false})
	r := fx.the(rs, "LICENSE-NOT-VERIFIED")
	r.outcome == "review"
	r.message == "license {license.number} is claimed, but no license register is configured (--licenses): nothing checks that it exists, is in force and covers this order"
	r.citation == "15 CFR 750.7"
	r.about == {"license": true}
	count(rs) == 1
}

test_only_numbered_licenses if {
	count(reasons_for("NAC", {"configured": false})) == 0
	count(reasons_for("ACA", valid)) == 0
	count(reasons) == 0 with input as {"destination": "AE", "ship_from": "US", "license": {"type": "license", "numbered": false, "register": {"configured": false}}}
	count(reasons) == 0 with input as {"destination": "AE", "ship_from": "US", "license": {}}
}

test_verified if {
	r := fx.the(with_facts({}), "LICENSE-VERIFIED")
	r.outcome == "allow"
	r.message == "license {license.number} is in the license register, in force until 2028-01-15, and covers this order's movement, destination, parties and items; 50 of 100 units left after it; USD 1750000 of USD 3000000 left after it"
	rules_of(with_facts({})) == {["LICENSE-VERIFIED", "allow"]}

	# no limits stated: nothing about what is left
	endswith(fx.the(reasons_for("license", object.remove(valid, {"quantity", "value"})), "LICENSE-VERIFIED").message, "parties and items")
}

test_unknown if {
	rs := reasons_for("license", {"configured": true, "found": false})
	rules_of(rs) == {["LICENSE-UNKNOWN", "deny"]}
	fx.the(rs, "LICENSE-UNKNOWN").message == "license {license.number} is not in the license register: no license of that number authorizes this order"
	invalid({"configured": true, "found": false})
}

test_expired_and_not_yet_valid if {
	rs := with_facts({"expired": true})
	rules_of(rs) == {["LICENSE-EXPIRED", "deny"]}
	fx.the(rs, "LICENSE-EXPIRED").message == "license {license.number} expired on 2028-01-15, on or before the order date"
	fx.the(with_facts({"not_yet_valid": true}), "LICENSE-EXPIRED").message == "license {license.number} is valid only from 2026-01-15, after the order date"
}

test_movement if {
	rs := with_facts({"movement": "reexport"})
	rules_of(rs) == {["LICENSE-TYPE", "deny"]}
	fx.the(rs, "LICENSE-TYPE").message == "license {license.number} authorizes an export, but this order (from US to AE) is a reexport"
	fx.the(with_facts({"type": "transfer"}), "LICENSE-TYPE").facts == {"license_type": "transfer", "movement": "export"}
}

test_destination if {
	rs := with_facts({"destination": false})
	rules_of(rs) == {["LICENSE-DESTINATION", "deny"]}
	startswith(fx.the(rs, "LICENSE-DESTINATION").message, "license {license.number} does not name destination AE")
}

test_parties if {
	other := with_facts({"parties": [{"role": "consignee", "given": true, "named": false}, {"role": "end_user", "given": true, "named": true}]})
	rules_of(other) == {["LICENSE-PARTY", "deny"]}
	r := fx.the(other, "LICENSE-PARTY")
	r.message == "license {license.number} names another consignee than the order's"
	r.key == "consignee"

	missing := with_facts({"parties": [{"role": "end_user", "given": false, "named": false}]})
	rules_of(missing) == {["LICENSE-PARTY", "review"]}
	fx.the(missing, "LICENSE-PARTY").message == "license {license.number} names its end user, and the order names none: confirm who receives the items"
	not invalid(object.union(valid, {"parties": [{"role": "end_user", "given": false, "named": false}]}))

	both := with_facts({"parties": [{"role": "consignee", "given": true, "named": false}, {"role": "end_user", "given": false, "named": false}]})
	count(fx.by_rule(both, "LICENSE-PARTY")) == 2
}

test_items if {
	rs := with_facts({"uncovered": ["3A090.b", "unknown"]})
	rules_of(rs) == {["LICENSE-ECCN", "deny"]}
	fx.the(rs, "LICENSE-ECCN").message == "license {license.number} covers no 3A090.b item or unknown item on this order"
	rules_of(with_facts({"uncovered": ["unknown"]})) == {["LICENSE-ECCN", "review"]}
	not invalid(object.union(valid, {"uncovered": ["unknown"]}))
	invalid(object.union(valid, {"uncovered": ["4A090.a"]}))
}

test_exhausted if {
	q := with_facts({"quantity": {"limit": 100, "left": 5, "needed": 10}})
	rules_of(q) == {["LICENSE-EXHAUSTED", "deny"]}
	fx.the(q, "LICENSE-EXHAUSTED").message == "license {license.number}: the order needs 10 units of the items it covers, and 5 of its 100 are left"

	# exactly what is left is not exhausted
	rules_of(with_facts({"quantity": {"limit": 100, "left": 10, "needed": 10}})) == {["LICENSE-VERIFIED", "allow"]}

	v := with_facts({"value": {"limit": 800000, "left": 0, "needed": 8000}})
	fx.the(v, "LICENSE-EXHAUSTED").message == "license {license.number}: the order is worth USD 8000 of the items it covers, and USD 0 of its USD 800000 are left"

	u := with_facts({"value": {"limit": 800000, "left": 800000, "needed": 0, "unknown": true}})
	rules_of(u) == {["LICENSE-EXHAUSTED", "review"]}
	not invalid(object.union(valid, {"value": {"limit": 800000, "left": 800000, "needed": 0, "unknown": true}}))
	fx.the(u, "LICENSE-EXHAUSTED").message == "license {license.number}: an item it covers has no unit_value_usd, so the order's value cannot be drawn from the USD 800000 limit"

	# both limits at once: deny, naming both
	b := with_facts({"quantity": {"limit": 100, "left": 5, "needed": 10}, "value": {"limit": 1, "left": 0, "needed": 1, "unknown": true}})
	fx.the(b, "LICENSE-EXHAUSTED").outcome == "deny"
}

test_every_failure_is_its_own_reason if {
	rs := with_facts({"expired": true, "destination": false, "movement": "transfer", "uncovered": ["3A090.a"]})
	{x.rule | some x in rs} == {"LICENSE-EXPIRED", "LICENSE-DESTINATION", "LICENSE-TYPE", "LICENSE-ECCN"}
	every x in rs {
		x.outcome == "deny"
		x.about == {"license": true}
	}
}
