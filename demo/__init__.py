"""The demo dataset: a realistic few years of Shanghai's community foundations, written through the
ledger's own use cases (`generator`), over real districts and subdistricts (`places`)."""
