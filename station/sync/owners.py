"""Who owns every table of a station database, which way it travels, and what settles a
conflict: one declaration that the push and the pull read, docs/sync.md shows, and a test
holds to the schema (a new table without an entry fails it).

Owners: a **dock** writes floor facts offline and pushes them; **central** is where records
arrive from outside (the shop's RMAs) and where commitments are decided; an **admin** keeps
reference data (operators, catalogue, vendors). Directions: ``push`` (dock to central),
``pull`` (central to docks), ``both``, or ``local`` with the reason it stays on one machine.
"""

from __future__ import annotations

from dataclasses import dataclass

PUSH, PULL, BOTH, LOCAL = "push", "pull", "both", "local"
VERSION_RULE = "first write wins by version; the second is a conflict for a supervisor"


@dataclass(frozen=True)
class Ownership:
    owner: str
    direction: str
    rule: str
    why: str = ""
    """Why a table stays local, or what is special about it."""


OWNERS: dict[str, Ownership] = {
    # Reference data: every dock needs it to work offline.
    "operators": Ownership("admin", BOTH, VERSION_RULE, "badges must sign in at every dock"),
    "products": Ownership("admin", BOTH, VERSION_RULE, "the catalogue every dock checks items against"),
    "vendors": Ownership("admin", BOTH, VERSION_RULE, "return-to-vendor needs the vendor at every dock"),
    # Returns and floor facts.
    "rmas": Ownership("central", BOTH, VERSION_RULE + "; a parcel received twice is held as one conflict",
                      "authorised at central (the shop, the returns service) or a dock; received at docks"),
    "rma_lines": Ownership("central", BOTH, VERSION_RULE),
    "receipts": Ownership("dock", BOTH, "a second dock's receipt for one parcel is held back with its RMA's conflict",
                          "other docks see it, so a duplicate parcel is recognised anywhere"),
    "units": Ownership("dock", BOTH, VERSION_RULE, "a unit received at one dock can be inspected at another"),
    "inspections": Ownership("dock", BOTH, VERSION_RULE),
    "photos": Ownership("dock", PUSH, "photos are immutable: by SHA-256, uploaded once",
                        "rows and pictures go up; docks fetch a picture when they show it"),
    "dispositions": Ownership("dock", BOTH, VERSION_RULE),
    "resolutions": Ownership("central", BOTH, "one standing resolution per RMA, by a unique index on central; "
                             "a second dock's is voided at its dock", "a commitment to the customer"),
    "approvals": Ownership("dock", BOTH, VERSION_RULE),
    "label_jobs": Ownership("dock", PUSH, VERSION_RULE, "printed where they were made; central keeps the record"),
    "alerts": Ownership("dock", PUSH, VERSION_RULE, "raised where the figures were computed"),
    "domain_events": Ownership("dock", PUSH, "append-only: applied once per event id",
                               "central's feed is the company's record of events"),
    "rtv_batches": Ownership("dock", BOTH, VERSION_RULE, "a batch opened at one dock, credited from any"),
    "rtv_items": Ownership("dock", BOTH, VERSION_RULE),
    "rtv_credits": Ownership("central", BOTH, "one standing credit per batch, by a unique index on central; "
                             "a second dock's is voided at its dock", "the vendor's money, booked once"),
    "orders": Ownership("central", BOTH, VERSION_RULE + "; the id comes from the order number, so the same "
                        "order taken by two services is one record",
                        "taken by whichever returns service the shop sends it to (central's or a dock's)"),
    "order_lines": Ownership("central", BOTH, VERSION_RULE, "with their order; a dropped line stays with quantity 0"),
    "rma_requests": Ownership("central", BOTH, VERSION_RULE + "; numbers come from the taking station's range",
                              "decided where they were asked; a supervisor at any station can review them"),
    "rma_request_lines": Ownership("central", BOTH, VERSION_RULE, "with their request"),
    "lot_holds": Ownership("dock", BOTH, VERSION_RULE + "; two docks holding one lot offline make two holds, "
                           "a release ends them all", "a lot held at one dock is held at every dock"),
    # Not synced: each with the reason it stays on one machine.
    "api_tokens": Ownership("admin", LOCAL, "-", "secrets of the returns service that issued them"),
    "api_replays": Ownership("dock", LOCAL, "-", "the review calls' Idempotency-Keys, with the tokens that sent them"),
    "web_keys": Ownership("admin", LOCAL, "-", "the signing key of one returns service"),
    "page_attempts": Ownership("dock", LOCAL, "-", "rate limits of one returns service"),
    "used_form_nonces": Ownership("dock", LOCAL, "-", "one returns service's forms"),
    "email_opt_outs": Ownership("central", LOCAL, "-", "kept by the service that sends the e-mails"),
    "refurbishments": Ownership("dock", LOCAL, "-", "repair work at the dock that did it; the unit's grade syncs"),
    "resale_prices": Ownership("admin", LOCAL, "-", "imported at each station that values returns"),
    "sales": Ownership("admin", LOCAL, "-", "imported where the return rates are computed"),
    "alert_actions": Ownership("dock", LOCAL, "-", "notes on an alert at the dock that raised it"),
    "sign_in_throttles": Ownership("dock", LOCAL, "-", "wrong-PIN counts of one machine's keypad"),
    "audit_events": Ownership("dock", PUSH, "append-only: central refuses a chain that does not extend its head",
                              "anchored on central's own table (sync_audit_events), not mirrored"),
    "outbox": Ownership("dock", LOCAL, "-", "the push's own queue"),
    "outbox_fence": Ownership("dock", LOCAL, "-", "how far the push has read its queue"),
    "sync_state": Ownership("dock", LOCAL, "-", "the pull cursor and sync status of this station"),
    "resolution_queue": Ownership("dock", LOCAL, "-", "derived: rebuilt from RMAs and units after every pull"),
    "analytics_daily_products": Ownership("dock", LOCAL, "-", "derived: recomputed for the days a pull touched"),
    "analytics_daily_mix": Ownership("dock", LOCAL, "-", "derived, as above"),
    "analytics_daily_cycle": Ownership("dock", LOCAL, "-", "derived, as above"),
    "analytics_daily_costs": Ownership("dock", LOCAL, "-", "derived, as above"),
    "analytics_daily_net_units": Ownership("dock", LOCAL, "-", "derived, as above"),
    "analytics_daily_net_shares": Ownership("dock", LOCAL, "-", "derived, as above"),
    "analytics_dirty_days": Ownership("dock", LOCAL, "-", "derived: the days waiting to be recomputed"),
    "analytics_state": Ownership("dock", LOCAL, "-", "derived: the summaries' own bookkeeping"),
    # The integrations' ledger (station.integrations.ledger): per database, by design.
    "integration_event_log": Ownership("dock", LOCAL, "-", "the feed's arrival numbers in this database"),
    "integration_cursors": Ownership("dock", LOCAL, "-", "how far this database's senders got"),
    "webhook_consumers": Ownership("admin", LOCAL, "-", "set up where the webhooks are sent from (central, "
                                   "for a fleet: its feed has every dock's events)"),
    "webhook_deliveries": Ownership("dock", LOCAL, "-", "the sender's own delivery log"),
    "notices_sent": Ownership("dock", LOCAL, "-", "the sender's own log: each notice once"),
}

PULLED = tuple(name for name, o in OWNERS.items() if o.direction in (PULL, BOTH))
"""The tables a station pulls, in declaration order (the pull sorts them parents first)."""
PUSHED = tuple(name for name, o in OWNERS.items() if o.direction in (PUSH, BOTH))


def markdown_table() -> str:
    """The table docs/sync.md shows (``python -m station.sync.owners`` prints it)."""
    rows = ["| table | owner | direction | on conflict | why |", "|---|---|---|---|---|"]
    rows += [f"| `{name}` | {o.owner} | {o.direction} | {o.rule} | {o.why} |" for name, o in OWNERS.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
