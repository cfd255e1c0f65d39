"""The read side: views that are pure functions of the event log (disclosure, indicators, history,
transparency) and the runner that keeps them exactly once up to date. Each view's tables, writes and
reads live together; the verifier's library (Merkle tree, signed checkpoints) is `transparency/`."""
