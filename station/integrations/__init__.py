"""Handing domain events to the systems around the dock: webhooks, a pollable feed, customer notices.

Everything here reads ``domain_events`` from whichever database it is pointed at (the central
PostgreSQL in a multi-site set-up, the station's SQLite in a single-station one) and keeps its
own delivery ledger on a separate MetaData (``station.integrations.ledger``), created by
``rma-station integrations init``. Stations never carry these tables; see docs/integrations.md.
"""
