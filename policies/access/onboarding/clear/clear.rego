# METADATA
# title: Onboarding without objection
# description: |
#   Evaluated only when no onboarding or screening rule gave a reason: says
#   why the application is allowed.
#
#   input: as data.access.onboarding.
package access.onboarding.clear

import data.chipcheck.lib

# METADATA
# title: No onboarding objection
# description: No onboarding or screening rule objects to the application
# custom:
#   id: ONB-CLEAR
#   citation: "Provider know-your-customer policy"
reasons contains r if {
	r := lib.reason(
		rego.metadata.rule(), "allow",
		sprintf("no onboarding rule objects: ownership established, no restricted jurisdiction, owner, listed party, licence gate (models %s), reseller or reused identity document", [concat(", ", input.requested_models)]),
		"", {"models": input.requested_models},
	)
}
