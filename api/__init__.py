"""How users and programs reach the ledger: HTTP API, CLI, client SDK."""
