// Package onboarding is the model-access onboarding domain: records of kind
// onboarding (one application by an organisation or individual for access
// to a provider's models), their validation (Kinds, every problem with
// file, line and field), the facts Go computes for them (the ownership
// roll-up through every chain, the OFAC and Affiliates-rule aggregates,
// restricted-party screening of the organisation, its owners and
// officers, and, over the whole batch, identity documents that verify
// several organisations), and the decision: the policies in
// policies/access/onboarding judge the facts and write every reason.
package onboarding
