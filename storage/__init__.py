"""SQL plumbing shared by the API, the projections and (later) the personal-data vault.

`storage` may use `domain`; `domain` never uses `storage`.
"""
