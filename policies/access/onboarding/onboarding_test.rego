# Unit tests of the onboarding rules against the real rules/onboarding.yaml
# (restricted CN HK MO RU BY IR KP SY CU; restricted ownership deny above
# 50, review from 25; OFAC 50; Affiliates Rule from 2025-09-29, suspended
# 2025-11-10 to 2026-11-10, deny from 50, minority from 10; frontier-a
# licensed from 2026-06-12, trusted partners from 2026-06-26; mismatch from
# 3 countries; reuse window 90 days). Inputs are shaped as
# internal/onboarding builds them (Decider.input).
package access.onboarding

import data.chipcheck.fixtures as fx

no_owner := {"aggregate_pct": 0, "effective_pct": 0, "owners": [], "chains": []}

# A clean application: a US company wholly owned by a US citizen.
base := {
	"date": "2026-12-01",
	"requested_models": ["frontier-b"],
	"customer": {
		"type": "legal_entity", "org_id": "org-1", "country": "US", "registration_country": "US",
		"headquarters": "", "operating_countries": ["US"], "is_reseller": false,
		"reseller_authorization_ref": "", "declared_use_case": "code review", "listed": false,
	},
	"ownership": {
		"required": true, "status": "verified", "complete": true, "established_pct": 100,
		"unestablished_pct": 0, "cycles": [], "ultimate_parents": [], "listed_owners": [],
		"restricted": {"pct": 0, "chains": []}, "sdn": no_owner, "affiliates": no_owner,
	},
	"users": [{"user_id": "u-1", "nationality": ["US"], "us_person": true, "email_domain": "example.com", "phone_country": "US"}],
	"billing": {"address_country": "US", "instruments": [{"kind": "card", "primary": true, "countries": ["US"]}]},
	"signup": {"ip_country": "US", "ip_type": "business", "path": ""},
	"attestations": {"no_resale": true},
	"id_reuse": [],
}

with_(path, v) := json.patch(base, [{"op": "add", "path": path, "value": v}])

rs(x) := out if {
	out := reasons with input as x
}

ids(x) := {r.rule | some r in rs(x)}

chain := {"pct": 64, "steps": [
	{"id": "parent-1", "name": "Example Group", "hq": "CN", "type": "company", "stake_pct": 80},
	{"id": "holdco-1", "name": "Example Holdings", "hq": "KY", "type": "company", "stake_pct": 80},
	{"id": "customer"},
]}

test_clean_application_has_no_reason if {
	count(rs(base)) == 0
}

# ---- restricted jurisdictions ------------------------------------------------------

test_restricted_country_each_place if {
	every p in [
		["/customer/country", "CN", "customer.country"],
		["/customer/registration_country", "RU", "customer.registration.country"],
		["/customer/headquarters", "IR", "customer.headquarters"],
		["/customer/operating_countries", ["US", "KP"], "customer.operating_countries"],
	] {
		r := fx.the(rs(with_(p[0], p[1])), "ONB-RESTRICTED-COUNTRY")
		r.outcome == "deny"
		r.facts.field == p[2]
	}
}

test_unrestricted_country_passes if {
	count(rs(with_("/customer/operating_countries", ["SG", "DE"]))) == 0
}

# ---- restricted ownership: >50 deny, 25..50 review --------------------------------

restricted_at(pct) := with_("/ownership/restricted", {"pct": pct, "chains": [object.union(chain, {"pct": pct})]})

test_restricted_ownership_thresholds if {
	r := fx.the(rs(restricted_at(64)), "ONB-RESTRICTED-OWNERSHIP")
	r.outcome == "deny"
	contains(r.message, "Example Group (parent-1, CN) 80% > Example Holdings (holdco-1, KY) 80% > customer")
	fx.no_rule(rs(restricted_at(64)), "ONB-RESTRICTED-OWNERSHIP-MINORITY")

	# 50% exactly is not more than 50%: review, not deny.
	fx.the(rs(restricted_at(50)), "ONB-RESTRICTED-OWNERSHIP-MINORITY").outcome == "review"
	fx.no_rule(rs(restricted_at(50)), "ONB-RESTRICTED-OWNERSHIP")
	fx.the(rs(restricted_at(50.000001)), "ONB-RESTRICTED-OWNERSHIP").outcome == "deny"

	# 25% exactly is reviewed; just below is not.
	fx.the(rs(restricted_at(25)), "ONB-RESTRICTED-OWNERSHIP-MINORITY").outcome == "review"
	count(rs(restricted_at(24.999999))) == 0
}

test_restricted_ownership_without_chains_message if {
	r := fx.the(rs(with_("/ownership/restricted", {"pct": 60, "chains": []})), "ONB-RESTRICTED-OWNERSHIP")
	endswith(r.message, "more than 50%")
}

# ---- ownership established, cycles -----------------------------------------------

test_unestablished_causes if {
	r := fx.the(rs(with_("/ownership/unestablished_pct", 36)), "ONB-OWNERSHIP-UNESTABLISHED")
	r.outcome == "review"
	contains(r.message, "36% of the customer cannot be traced")
	r2 := fx.the(rs(with_("/ownership/status", "partial")), "ONB-OWNERSHIP-UNESTABLISHED")
	contains(r2.message, "the ownership status is \"partial\", not verified")
	r3 := fx.the(rs(with_("/ownership/complete", false)), "ONB-OWNERSHIP-UNESTABLISHED")
	contains(r3.message, "more than 100000 steps")
}

test_unestablished_not_required_for_individuals if {
	doc := json.patch(base, [
		{"op": "add", "path": "/ownership/required", "value": false},
		{"op": "add", "path": "/ownership/status", "value": "unknown"},
		{"op": "add", "path": "/ownership/unestablished_pct", "value": 100},
	])
	count(rs(doc)) == 0
}

test_cycle_is_review if {
	cyc := [{"id": "a", "name": "A Ltd"}, {"id": "b", "name": ""}, {"id": "a", "name": "A Ltd"}]
	r := fx.the(rs(with_("/ownership/cycles", [cyc])), "ONB-OWNERSHIP-CYCLE")
	r.outcome == "review"
	contains(r.message, "A Ltd (a) owns b owns A Ltd (a)")
}

# ---- OFAC 50 -----------------------------------------------------------------------

sdn_at(pct) := with_("/ownership/sdn", {"aggregate_pct": pct, "effective_pct": pct, "owners": [{"id": "x", "name": "Blocked Co"}], "chains": []})

test_ofac_50_is_inclusive if {
	fx.the(rs(sdn_at(50)), "ONB-OFAC-50").outcome == "deny"
	contains(fx.the(rs(sdn_at(50)), "ONB-OFAC-50").message, "Blocked Co (x)")
	fx.no_rule(rs(sdn_at(49.999999)), "ONB-OFAC-50")
}

# ---- Affiliates Rule: dated and switchable -------------------------------------------

aff_at(pct, date) := json.patch(base, [
	{"op": "add", "path": "/ownership/affiliates", "value": {"aggregate_pct": pct, "effective_pct": pct, "owners": [{"id": "h", "name": "Listed Co"}], "chains": [chain]}},
	{"op": "add", "path": "/date", "value": date},
])

test_affiliates_in_force_before_and_after_suspension if {
	# In force from 2025-09-29 until the suspension of 2025-11-10.
	fx.the(rs(aff_at(50, "2025-10-15")), "ONB-AFFILIATES-50").outcome == "deny"

	# The suspension ends on 2026-11-10 (until is exclusive).
	fx.the(rs(aff_at(50, "2026-11-10")), "ONB-AFFILIATES-50").outcome == "deny"
	fx.no_rule(rs(aff_at(49, "2026-12-01")), "ONB-AFFILIATES-50")
}

test_affiliates_suspended if {
	every d in ["2025-11-10", "2026-06-01", "2026-11-09"] {
		r := fx.the(rs(aff_at(60, d)), "ONB-AFFILIATES-SUSPENDED")
		r.outcome == "review"
		r.facts.suspended_until == "2026-11-10"
		fx.no_rule(rs(aff_at(60, d)), "ONB-AFFILIATES-50")
	}
}

test_affiliates_not_yet_in_force if {
	count(rs(aff_at(60, "2025-09-28"))) == 0
}

test_affiliates_switched_off if {
	count(rs(aff_at(60, "2026-12-01"))) > 0
	count(reasons) == 0 with input as aff_at(60, "2026-12-01") with data.rules.onboarding.affiliates_rule.enabled as false
	count(reasons) == 0 with input as aff_at(60, "2026-06-01") with data.rules.onboarding.affiliates_rule.enabled as false
}

test_affiliates_minority if {
	doc := json.patch(aff_at(0, "2026-12-01"), [{"op": "add", "path": "/ownership/affiliates/effective_pct", "value": 10}])
	fx.the(rs(doc), "ONB-AFFILIATES-MINORITY").outcome == "review"
	in9 := json.patch(doc, [{"op": "add", "path": "/ownership/affiliates/effective_pct", "value": 9.9}])
	count(rs(in9)) == 0

	# Suspended: no minority red flag from the rule.
	insus := json.patch(doc, [{"op": "add", "path": "/date", "value": "2026-06-01"}])
	count(rs(insus)) == 0
}

test_listed_owner_is_review if {
	r := fx.the(rs(with_("/ownership/listed_owners", [{"id": "x", "name": "Listed Co", "lists": ["EL"], "effective_pct": 5}])), "ONB-LISTED-OWNER")
	r.outcome == "review"
	contains(r.message, "owner Listed Co (x) is on EL and holds 5%")
}

# ---- model licence gates ---------------------------------------------------------------

licensed := json.patch(base, [
	{"op": "add", "path": "/requested_models", "value": ["frontier-a", "frontier-b"]},
	{"op": "add", "path": "/users/-", "value": {"user_id": "u-2", "nationality": ["CN"], "us_person": false, "email_domain": "example.com"}},
])

test_licence_gate_foreign_person_denied if {
	r := fx.the(rs(licensed), "ONB-MODEL-LICENCE")
	r.outcome == "deny"
	r.facts == {"model": "frontier-a", "foreign_users": ["u-2"]}
}

test_licence_gate_us_persons_pass if {
	doc := json.patch(licensed, [{"op": "add", "path": "/users/1/us_person", "value": true}])
	count(rs(doc)) == 0
}

test_licence_gate_before_letter if {
	count(rs(json.patch(licensed, [{"op": "add", "path": "/date", "value": "2026-06-11"}]))) == 0
}

test_licence_gate_trusted_partner if {
	doc := json.patch(licensed, [{"op": "add", "path": "/customer/org_id", "value": "org-trusted-001"}])
	r := fx.the(rs(doc), "ONB-MODEL-TRUSTED-PARTNER")
	r.outcome == "allow"
	fx.no_rule(rs(doc), "ONB-MODEL-LICENCE")

	# Not before the exemption's date.
	early := json.patch(doc, [{"op": "add", "path": "/date", "value": "2026-06-20"}])
	fx.the(rs(early), "ONB-MODEL-LICENCE").outcome == "deny"

	# No org id is nobody's partner.
	fx.the(rs(json.patch(licensed, [{"op": "add", "path": "/customer/org_id", "value": ""}])), "ONB-MODEL-LICENCE").outcome == "deny"
}

# ---- billing, sign-up, mismatch ----------------------------------------------------------

test_billing_primary_and_secondary if {
	addr := fx.the(rs(with_("/billing/address_country", "RU")), "ONB-BILLING-RESTRICTED")
	addr.outcome == "deny"
	addr.facts.where == "billing address"
	prim := fx.the(rs(with_("/billing/instruments", [{"kind": "card", "primary": true, "countries": ["HK"]}])), "ONB-BILLING-RESTRICTED")
	prim.message == "the primary card instrument (number 1) is in HK, a restricted jurisdiction"
	two := with_("/billing/instruments", [{"kind": "card", "primary": true, "countries": ["US"]}, {"kind": "bank", "primary": false, "countries": ["CN"]}])
	sec := fx.the(rs(two), "ONB-BILLING-SECONDARY-RESTRICTED")
	sec.outcome == "review"
	sec.message == "the secondary bank instrument (number 2) is in CN, a restricted jurisdiction"
	fx.no_rule(rs(two), "ONB-BILLING-RESTRICTED")
}

test_signup_ip if {
	fx.the(rs(with_("/signup/ip_country", "IR")), "ONB-SIGNUP-IP-RESTRICTED").outcome == "review"
	fx.the(rs(with_("/signup/ip_type", "tor")), "ONB-SIGNUP-IP-TYPE").outcome == "review"
	count(rs(with_("/signup/ip_type", "hosting"))) == 0
}

test_country_mismatch_from_three if {
	two := with_("/users/0/phone_country", "DE")
	count(rs(two)) == 0
	three := json.patch(two, [{"op": "add", "path": "/users/0/id_doc_country", "value": "FR"}])
	r := fx.the(rs(three), "ONB-COUNTRY-MISMATCH")
	r.outcome == "review"
	r.facts.countries == ["DE", "FR", "US"]
}

# ---- resellers ------------------------------------------------------------------------------

test_reseller_unauthorised if {
	no_ref := with_("/customer/is_reseller", true)
	r := fx.the(rs(no_ref), "ONB-RESELLER-UNAUTHORISED")
	r.outcome == "deny"
	r.message == "the customer is a reseller without a reseller authorisation"
	bad := json.patch(no_ref, [{"op": "add", "path": "/customer/reseller_authorization_ref", "value": "ra-fake"}])
	contains(fx.the(rs(bad), "ONB-RESELLER-UNAUTHORISED").message, "\"ra-fake\" is not one the provider issued")
	good := json.patch(no_ref, [{"op": "add", "path": "/customer/reseller_authorization_ref", "value": "ra-2026-0001"}])
	count(rs(good)) == 0
}

test_reseller_undeclared_signs if {
	fx.the(rs(with_("/attestations/no_resale", false)), "ONB-RESELLER-UNDECLARED").outcome == "review"
	count(rs(with_("/attestations", {}))) == 0
	r := fx.the(rs(with_("/customer/declared_use_case", "api router for startups")), "ONB-RESELLER-UNDECLARED")
	contains(r.message, "its declared use names \"api router\"")
	users := [{"user_id": sprintf("u-%d", [i]), "nationality": ["US"], "us_person": true, "email_domain": sprintf("d%d.com", [i])} | some i in numbers.range(1, 5)]
	contains(fx.the(rs(with_("/users", users)), "ONB-RESELLER-UNDECLARED").message, "5 email domains")
	count(rs(with_("/users", array.slice(users, 0, 4)))) == 0
}

# ---- identity documents ---------------------------------------------------------------------

test_id_reuse_window if {
	u := {"holder": "user u-1", "other_id": "onb-1", "other_date": "2026-09-02", "days": 90}
	r := fx.the(rs(with_("/id_reuse", [u])), "ONB-ID-REUSE")
	r.outcome == "deny"
	r.message == "the identity document of the user u-1 verified application onb-1 of another organisation on 2026-09-02, 90 days earlier (one document verifies one organisation per 90 days)"
	count(rs(with_("/id_reuse", [object.union(u, {"days": 91})]))) == 0
}
