// Package orders is the chip and order domain: it computes the facts of
// order and chip records (catalog resolution, parties, restricted-party
// hits), projects each order into the small, name-free inputs of the policy
// stages (stages.go), evaluates them through an engine.Evaluator, and
// assembles the decision, adding to each reason the record's own values
// (SKUs, names, the license number) that the stages never see.
//
// Go computes facts and projections here; every reason's rule, outcome,
// message and citation is written by one rule in policies/chipcheck.
package orders
