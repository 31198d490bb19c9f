# Unit tests of the allow reason of an application nothing objects to.
package access.onboarding.clear

import data.chipcheck.fixtures as fx

test_clear_names_the_models if {
	r := fx.the(reasons, "ONB-CLEAR") with input as {"requested_models": ["frontier-a", "frontier-b"]}
	r.outcome == "allow"
	contains(r.message, "licence gate (models frontier-a, frontier-b)")
	r.facts == {"models": ["frontier-a", "frontier-b"]}
}
