"""The read side: views that are pure functions of the event log (disclosure, indicators, history,
transparency). Empty until the projections issue; the ledger's `head()` is what they will follow."""
