"""The read side: views that are pure functions of the event log (disclosure, indicators, history,
transparency), the runner that keeps them exactly once up to date, and the Merkle tree with its signed
checkpoints. `merkle.py` stands alone so that any verifier can use it."""
