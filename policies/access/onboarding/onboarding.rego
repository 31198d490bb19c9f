# METADATA
# title: Model-access onboarding
# description: |
#   Judges one application for access to a provider's models (kind:
#   onboarding) on the facts Go computed (internal/onboarding). Thresholds,
#   jurisdictions, models and dates are in data.rules.onboarding.
#   Restricted-party hits of the customer, beneficial owners and officers
#   (and weaker or other-list hits of owners) are judged by the shared
#   screening stage (data.chipcheck.screening); strong hits of owners on the
#   sanctions and Affiliates-rule lists are judged here, by stake.
#
#   input: {
#     date: YYYY-MM-DD,
#     requested_models: [model ids],
#     customer: {type, org_id, country, registration_country, headquarters,
#                operating_countries, is_reseller, reseller_authorization_ref,
#                declared_use_case (lower case), listed},
#     ownership: {required, status, complete, established_pct,
#                 unestablished_pct, cycles: [[entity]], ultimate_parents,
#                 listed_owners: [entity + {lists, effective_pct}],
#                 restricted: {pct, chains},
#                 sdn: {aggregate_pct, effective_pct, owners, chains},
#                 affiliates: {aggregate_pct, effective_pct, owners, chains}},
#     users: [{user_id, nationality, us_person, email_domain, phone_country,
#              phone_line, id_doc_country}],
#     billing: {address_country, instruments: [{kind, primary, countries}]},
#     signup: {ip_country, ip_type, path},
#     attestations: {no_resale, ...},
#     id_reuse: [{holder, other_id, other_date, days}]
#   }
#   An entity is {id, name, type, hq}; a chain is {pct, steps: [entity +
#   {stake_pct}]}, from the owner down to the customer.
package access.onboarding

import data.chipcheck.lib

cfg := data.rules.onboarding

own := input.ownership

restricted(c) if c in cfg.restricted_countries

# "Example Group (parent-1, CN) 80% > Example Holdings (holdco-1, KY) 80% > customer"
chain_text(ch) := concat(" > ", [step_text(s) | some s in ch.steps])

step_text(s) := sprintf("%s (%s, %s) %v%%", [object.get(s, "name", ""), s.id, object.get(s, "hq", ""), s.stake_pct]) if s.stake_pct

else := s.id

largest(chains) := sprintf("; largest chain (%v%%): %s", [chains[0].pct, chain_text(chains[0])]) if count(chains) > 0

else := ""

owner_text(e) := sprintf("%s (%s)", [e.name, e.id]) if e.name != ""

else := e.id

owners_text(es) := concat(", ", [owner_text(e) | some e in es])

# ---- where the customer is --------------------------------------------------

places contains {"field": "customer.country", "country": c} if {
	c := input.customer.country
	c != ""
}

places contains {"field": "customer.registration.country", "country": c} if {
	c := input.customer.registration_country
	c != ""
}

places contains {"field": "customer.headquarters", "country": c} if {
	c := input.customer.headquarters
	c != ""
}

places contains {"field": "customer.operating_countries", "country": c} if {
	some c in input.customer.operating_countries
}

# METADATA
# title: Customer in a restricted jurisdiction
# description: The customer is declared, registered, headquartered or operating in a jurisdiction where the provider's models are not offered
# custom:
#   id: ONB-RESTRICTED-COUNTRY
#   citation: "Provider terms: unsupported regions"
reasons contains r if {
	some p in places
	restricted(p.country)
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("%s is %s, a jurisdiction where the provider's models are not offered", [p.field, p.country]),
		cfg.restricted_citation, {"field": p.field, "country": p.country},
	)
}

# ---- ownership ----------------------------------------------------------------

# METADATA
# title: Majority owned from a restricted jurisdiction
# description: More than the deny threshold (50%) of the customer is held, directly or indirectly, through owners headquartered in restricted jurisdictions
# custom:
#   id: ONB-RESTRICTED-OWNERSHIP
#   citation: "Provider terms: entities owned more than 50% by companies headquartered in unsupported regions"
reasons contains r if {
	own.restricted.pct > cfg.ownership.restricted_deny_above_pct
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("%v%% of the customer is held through owners headquartered (for natural persons: based) in restricted jurisdictions, more than %v%%%s", [own.restricted.pct, cfg.ownership.restricted_deny_above_pct, largest(own.restricted.chains)]),
		cfg.restricted_citation, {"pct": own.restricted.pct, "chains": own.restricted.chains},
	)
}

# METADATA
# title: Significant ownership from a restricted jurisdiction
# description: A significant minority (from 25% up to and including 50%) of the customer is held through owners headquartered in restricted jurisdictions
# custom:
#   id: ONB-RESTRICTED-OWNERSHIP-MINORITY
#   citation: "Provider terms: entities owned more than 50% by companies headquartered in unsupported regions"
reasons contains r if {
	own.restricted.pct >= cfg.ownership.restricted_review_from_pct
	own.restricted.pct <= cfg.ownership.restricted_deny_above_pct
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("%v%% of the customer is held through owners headquartered (for natural persons: based) in restricted jurisdictions (review from %v%%, deny above %v%%)%s", [own.restricted.pct, cfg.ownership.restricted_review_from_pct, cfg.ownership.restricted_deny_above_pct, largest(own.restricted.chains)]),
		cfg.restricted_citation, {"pct": own.restricted.pct, "chains": own.restricted.chains},
	)
}

# Why ownership is not established, if it is not.
unestablished contains sprintf("the ownership status is %q, not verified", [own.status]) if own.status != "verified"

unestablished contains sprintf("%v%% of the customer cannot be traced to natural persons, governments or publicly listed companies", [own.unestablished_pct]) if {
	own.unestablished_pct > cfg.ownership.unestablished_review_above_pct
}

unestablished contains sprintf("the ownership structure needs more than %v steps to walk", [cfg.ownership.max_steps]) if not own.complete

# METADATA
# title: Ownership not established
# description: The ultimate ownership of a legal entity is not verified, or cannot be traced to natural persons, governments or listed companies; it cannot be cleared without it
# custom:
#   id: ONB-OWNERSHIP-UNESTABLISHED
#   citation: "Provider know-your-customer policy"
reasons contains r if {
	own.required
	count(unestablished) > 0
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("ownership not established: %s", [concat("; ", sort(unestablished))]),
		cfg.ownership.citation, {"status": own.status, "unestablished_pct": own.unestablished_pct, "complete": own.complete, "ultimate_parents": own.ultimate_parents},
	)
}

# METADATA
# title: Ownership cycle
# description: Entities own each other in a circle; the chains through the cycle were not followed and the structure must be explained
# custom:
#   id: ONB-OWNERSHIP-CYCLE
#   citation: "Provider know-your-customer policy"
reasons contains r if {
	some cycle in own.cycles
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("ownership cycle: %s; chains through it were not followed, so the effective ownership above it is unknown", [concat(" owns ", [owner_text(e) | some e in cycle])]),
		cfg.ownership.citation, {"cycle": cycle},
	)
}

# METADATA
# title: Blocked under the OFAC 50 Percent Rule
# description: Persons on the SDN list own, directly or indirectly and in the aggregate, 50% or more of the customer, which is therefore itself blocked
# custom:
#   id: ONB-OFAC-50
#   citation: "31 CFR Chapter V; OFAC guidance on entities owned by blocked persons (2014)"
reasons contains r if {
	own.sdn.aggregate_pct >= cfg.sanctions.sdn_deny_from_pct
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("%v%% of the customer is held by blocked persons or entities they own 50%% or more of (%s): at least %v%%, so the customer is blocked%s", [own.sdn.aggregate_pct, owners_text(own.sdn.owners), cfg.sanctions.sdn_deny_from_pct, largest(own.sdn.chains)]),
		cfg.sanctions.citation, {"aggregate_pct": own.sdn.aggregate_pct, "effective_pct": own.sdn.effective_pct, "owners": own.sdn.owners, "chains": own.sdn.chains},
	)
}

# ---- BIS Affiliates Rule (dated, switchable) ------------------------------------

aff := cfg.affiliates_rule

suspension := s if {
	some s in aff.suspended
	lib.in_force(s, input.date)
}

affiliates_active if {
	aff.enabled
	aff.from <= input.date
	not suspension
}

# METADATA
# title: Affiliate of a listed party (Affiliates Rule)
# description: Entity List or MEU parties own, directly or indirectly and in the aggregate, 50% or more of the customer while the Affiliates Rule is in force
# custom:
#   id: ONB-AFFILIATES-50
#   citation: "15 CFR Part 744, Affiliates Rule (29 Sep 2025)"
reasons contains r if {
	affiliates_active
	own.affiliates.aggregate_pct >= aff.deny_from_pct
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("%v%% of the customer is held by Entity List or MEU parties or their 50%%-owned affiliates (%s): at least %v%%, so the listed parties' restrictions reach it%s", [own.affiliates.aggregate_pct, owners_text(own.affiliates.owners), aff.deny_from_pct, largest(own.affiliates.chains)]),
		aff.citation, {"aggregate_pct": own.affiliates.aggregate_pct, "effective_pct": own.affiliates.effective_pct, "owners": own.affiliates.owners, "chains": own.affiliates.chains},
	)
}

# METADATA
# title: Significant minority owned by a listed party (Affiliates Rule red flag)
# description: Entity List or MEU parties hold a significant minority (10% or more, below 50%) of the customer while the Affiliates Rule is in force
# custom:
#   id: ONB-AFFILIATES-MINORITY
#   citation: "15 CFR Part 732 Supp. 3 red flag 29 (Affiliates Rule, 29 Sep 2025)"
reasons contains r if {
	affiliates_active
	own.affiliates.aggregate_pct < aff.deny_from_pct
	own.affiliates.effective_pct >= aff.minority_review_from_pct
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("%v%% of the customer is held through Entity List or MEU parties (review from %v%%): establish whether they control it%s", [own.affiliates.effective_pct, aff.minority_review_from_pct, largest(own.affiliates.chains)]),
		aff.citation, {"effective_pct": own.affiliates.effective_pct, "chains": own.affiliates.chains},
	)
}

# METADATA
# title: Affiliate of a listed party while the Affiliates Rule is suspended
# description: Entity List or MEU parties own 50% or more of the customer, but the Affiliates Rule is suspended on the application's date; dealing with the affiliate stays a red flag to review
# custom:
#   id: ONB-AFFILIATES-SUSPENDED
#   citation: "15 CFR Part 744, Affiliates Rule (29 Sep 2025), suspended 10 Nov 2025 to 9 Nov 2026"
reasons contains r if {
	aff.enabled
	s := suspension
	own.affiliates.aggregate_pct >= aff.deny_from_pct
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("%v%% of the customer is held by Entity List or MEU parties or their affiliates (%s), which the Affiliates Rule would restrict, but the rule is suspended from %s until %s: review as a red flag%s", [own.affiliates.aggregate_pct, owners_text(own.affiliates.owners), s.from, s.until, largest(own.affiliates.chains)]),
		"", {"aggregate_pct": own.affiliates.aggregate_pct, "owners": own.affiliates.owners, "suspended_from": s.from, "suspended_until": s.until},
	)
}

# METADATA
# title: Listed owner
# description: An owner of the customer is on a sanctions, Entity List or MEU list (a strong match or the record's own declaration), whatever its stake
# custom:
#   id: ONB-LISTED-OWNER
#   citation: "15 CFR Part 732 Supp. 3; 31 CFR Chapter V"
reasons contains r if {
	some e in own.listed_owners
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("owner %s is on %s and holds %v%% of the customer directly or indirectly: a reviewer must weigh the stake and any control", [owner_text(e), concat(", ", e.lists), e.effective_pct]),
		"", {"owner": e},
	)
}

# ---- per-model licence gates ------------------------------------------------------

foreign_users := sort([u.user_id | some u in input.users; not u.us_person])

licence_needed(m) := l if {
	l := cfg.models[m].licence_for_foreign_persons
	lib.in_force(l, input.date)
}

trusted(m) if {
	model := cfg.models[m]
	input.customer.org_id != ""
	input.customer.org_id in model.trusted_partners
	model.trusted_from <= input.date
}

# METADATA
# title: Model needs a licence for foreign persons
# description: A requested model needs a licence for any foreign person (not a US person), a user is one, and the customer is not a trusted partner of the model
# custom:
#   id: ONB-MODEL-LICENCE
#   citation: "15 CFR 744.22; 15 CFR 772.1 (foreign person)"
reasons contains r if {
	some m in input.requested_models
	licence_needed(m)
	count(foreign_users) > 0
	not trusted(m)
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("model %s needs a licence for access by foreign persons from %s; not US persons: users %s; the customer is not a trusted partner of the model", [m, cfg.models[m].licence_for_foreign_persons.from, concat(", ", foreign_users)]),
		cfg.models[m].citation, {"model": m, "foreign_users": foreign_users},
	)
}

# METADATA
# title: Trusted partner of a licensed model
# description: A requested model needs a licence for foreign persons, but the customer is on the model's trusted-partner list
# custom:
#   id: ONB-MODEL-TRUSTED-PARTNER
#   citation: "15 CFR 744.22 (trusted-partner exemption)"
reasons contains r if {
	some m in input.requested_models
	licence_needed(m)
	count(foreign_users) > 0
	trusted(m)
	r := lib.reason(
		rego.metadata.rule(), "allow",
		sprintf("model %s needs a licence for foreign persons, but the customer (%s) is a trusted partner of it from %s", [m, input.customer.org_id, cfg.models[m].trusted_from]),
		cfg.models[m].citation, {"model": m, "org_id": input.customer.org_id, "foreign_users": foreign_users},
	)
}

# ---- billing, sign-up, country mismatch -------------------------------------------

# METADATA
# title: Billing in a restricted jurisdiction
# description: The billing address or the primary payment instrument (card BIN, issuer or bank) is in a restricted jurisdiction
# custom:
#   id: ONB-BILLING-RESTRICTED
#   citation: "Provider know-your-customer policy (signal G2)"
reasons contains r if {
	some p in billing_places
	p.primary
	restricted(p.country)
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("the %s is in %s, a restricted jurisdiction", [p.where, p.country]),
		cfg.geography.citation, {"where": p.where, "country": p.country},
	)
}

# METADATA
# title: Secondary payment instrument in a restricted jurisdiction
# description: A secondary payment instrument's BIN, issuer or bank country is a restricted jurisdiction
# custom:
#   id: ONB-BILLING-SECONDARY-RESTRICTED
#   citation: "Provider know-your-customer policy (signal G2)"
reasons contains r if {
	some p in billing_places
	not p.primary
	restricted(p.country)
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the %s is in %s, a restricted jurisdiction", [p.where, p.country]),
		cfg.geography.citation, {"where": p.where, "country": p.country},
	)
}

# The billing countries: the address and the primary instrument's are
# primary, the other instruments' secondary.
billing_places contains {"where": "billing address", "country": c, "primary": true} if {
	c := input.billing.address_country
	c != ""
}

billing_places contains {"where": sprintf("%s %s instrument (number %d)", [rank(i), i.kind, n + 1]), "country": c, "primary": i.primary} if {
	some n, i in input.billing.instruments
	some c in i.countries
}

rank(i) := "primary" if i.primary

else := "secondary"

# METADATA
# title: Sign-up from a restricted jurisdiction
# description: The application was submitted from an IP address in a restricted jurisdiction
# custom:
#   id: ONB-SIGNUP-IP-RESTRICTED
#   citation: "Provider know-your-customer policy (signal G3)"
reasons contains r if {
	restricted(input.signup.ip_country)
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the sign-up came from an IP address in %s, a restricted jurisdiction", [input.signup.ip_country]),
		cfg.geography.citation, {"ip_country": input.signup.ip_country},
	)
}

# METADATA
# title: Sign-up through an anonymising network
# description: The application was submitted through an IP type the provider reviews (Tor, open proxies)
# custom:
#   id: ONB-SIGNUP-IP-TYPE
#   citation: "Provider know-your-customer policy (signal G4)"
reasons contains r if {
	input.signup.ip_type in cfg.geography.review_ip_types
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the sign-up came through a %s address, which hides where the applicant is", [input.signup.ip_type]),
		cfg.geography.citation, {"ip_type": input.signup.ip_type},
	)
}

# Every country the application points to: declared, billing, the primary
# instrument, the users' phones and identity documents, the sign-up IP.
mismatch_countries := {c |
	some c in array.concat(
		[input.customer.country, input.customer.registration_country, input.billing.address_country, input.signup.ip_country],
		array.concat(
			[c2 | some i in input.billing.instruments; i.primary; some c2 in i.countries],
			[c3 | some u in input.users; some k in ["phone_country", "id_doc_country"]; c3 := object.get(u, k, "")],
		),
	)
	c != ""
}

# METADATA
# title: Countries that do not agree
# description: The declared country, billing, payment instrument, phones, identity documents and sign-up IP point to three or more countries
# custom:
#   id: ONB-COUNTRY-MISMATCH
#   citation: "Provider know-your-customer policy (signal G5)"
reasons contains r if {
	count(mismatch_countries) >= cfg.geography.mismatch_review_min_countries
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the application points to %d countries (%s): at least %v do not agree with one another", [count(mismatch_countries), concat(", ", sort(mismatch_countries)), cfg.geography.mismatch_review_min_countries]),
		cfg.geography.citation, {"countries": sort(mismatch_countries)},
	)
}

# ---- resellers ------------------------------------------------------------------

# METADATA
# title: Unauthorised reseller
# description: The customer declares itself a reseller, aggregator or API router without an authorisation the provider issued
# custom:
#   id: ONB-RESELLER-UNAUTHORISED
#   citation: "Provider commercial terms: no resale without written approval"
reasons contains r if {
	input.customer.is_reseller
	ref := input.customer.reseller_authorization_ref
	not ref in cfg.resellers.authorized
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("the customer is a reseller %s", [auth_text(ref)]),
		cfg.resellers.citation, {"reseller_authorization_ref": ref},
	)
}

auth_text(ref) := "without a reseller authorisation" if ref == ""

else := sprintf("whose authorisation %q is not one the provider issued", [ref])

email_domains := {u.email_domain | some u in input.users; u.email_domain != ""}

resale_signs contains "it does not attest no_resale" if input.attestations.no_resale == false

resale_signs contains sprintf("its users write from %d email domains", [count(email_domains)]) if {
	count(email_domains) >= cfg.resellers.review_min_email_domains
}

resale_signs contains sprintf("its declared use names %q", [t]) if {
	some t in cfg.resellers.use_case_terms
	contains(input.customer.declared_use_case, t)
}

# METADATA
# title: Possible undeclared reseller
# description: The customer does not declare itself a reseller, but its application looks like one (no no-resale attestation, many email domains, a resale use)
# custom:
#   id: ONB-RESELLER-UNDECLARED
#   citation: "Provider commercial terms: no resale without written approval"
reasons contains r if {
	not input.customer.is_reseller
	count(resale_signs) > 0
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the customer is not declared a reseller, but %s", [concat("; ", sort(resale_signs))]),
		cfg.resellers.citation, {"signs": sort(resale_signs)},
	)
}

# ---- identity documents ------------------------------------------------------------

# METADATA
# title: Identity document already verified another organisation
# description: An identity document of this application verified another organisation's application within the reuse window (90 days)
# custom:
#   id: ONB-ID-REUSE
#   citation: "Provider verification policy: one ID verifies one organisation per 90 days"
reasons contains r if {
	some u in input.id_reuse
	u.days >= 0
	u.days <= cfg.id_documents.reuse_window_days
	r := lib.reason(
		rego.metadata.rule(), "deny",
		sprintf("the identity document of the %s verified application %s of another organisation on %s, %d days earlier (one document verifies one organisation per %v days)", [u.holder, u.other_id, u.other_date, u.days, cfg.id_documents.reuse_window_days]),
		cfg.id_documents.citation, u,
	)
}
