"""The audit log: an append-only, hash-chained record of every change, keyed per station."""
