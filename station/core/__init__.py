"""The kernel every stage stands on: the context, the database, services, errors, permissions,
settings, identifiers, the change feed, the state machines and the station's identity."""
