// Package orders is the chip and order domain. It owns the records of
// kinds order and chip: their types (Order, Chip and their parts) and
// their validation against the rule data's vocabularies (Kinds, built with
// record.Decoder, so that every problem names file, line and field). It
// computes the facts of those records (catalog resolution, parties,
// restricted-party hits), projects each order into the small, name-free
// inputs of the policy stages (stages.go), evaluates them through an
// engine.Evaluator, and assembles the decision, adding to each reason the
// record's own values (SKUs, names, the license number) that the stages
// never see.
//
// Go computes facts and projections here; every reason's rule, outcome,
// message and citation is written by one rule in policies/chipcheck.
package orders
