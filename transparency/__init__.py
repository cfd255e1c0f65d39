"""The verifier's library: everything needed to check the log, importable without the web stack.

`merkle` (RFC 9162 hashes and proofs, standard library only), `leaf` (how a stored event becomes a
leaf), `tlog` (the stored tree layout and an in-memory tree), `signed_note` (C2SP checkpoints, Ed25519),
`log_audit` (the checks remote and bundle verification share), `remote` (verify a deployment over HTTP
from its public endpoints), `bundle` (export a log to a file, import it, verify it offline) and `local`
(verify a ledger's own database: every leaf, node, checkpoint and view by replay). None of them loads
FastAPI, uvicorn, pydantic or psycopg (a test checks), so a third party can use this package alone; the
transparency *view* that keeps the stored tree up to date is `projections.transparency`.
"""
