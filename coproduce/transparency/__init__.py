"""The public ledger: an append-only, hash-chained log of the public records that matter."""
