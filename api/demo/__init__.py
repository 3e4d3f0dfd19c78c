"""`ledger demo`: a realistic synthetic world written through the signed append path (issue 6)."""
