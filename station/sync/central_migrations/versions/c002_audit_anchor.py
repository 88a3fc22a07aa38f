"""central audit anchor: every station's audit chain, append-only, extended only at its head

Revision ID: c002
Revises: c001

``sync_audit_events`` keeps each station's audit events as pushed (key: pushing station, the
station's own seq). PostgreSQL itself enforces what makes it an anchor, whoever connects:

- UPDATE, DELETE and TRUNCATE are refused (append-only);
- an INSERT must extend the station's chain: the first new event's ``prev_hash`` is the hash
  of the newest event central holds for that station (or the genesis hash), each next one
  links to the one before, seqs only grow, and no plain SHA-256 event follows a keyed one.

Central cannot recompute keyed hashes (it never sees a station's secret); it checks the links
and the head, which is what catches a station that deleted or rewrote events it had sent.
These checks hold against any client that is not the tables' owner (an owner can drop a
trigger): see docs/security.md for the database roles.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "c002"
down_revision = "c001"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION sync_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sync_audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""

# One check per INSERT statement (a batch of thousands), on the transition table. The advisory
# lock is the one the pushing station takes before it reads the head (audit_anchor.py), so two
# pushers of one station queue instead of both extending the same head.
EXTEND = """
CREATE OR REPLACE FUNCTION sync_audit_extend() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    chain record;
    head record;
    bad record;
    head_hash text;
    head_keyed boolean;
BEGIN
    FOR chain IN SELECT pushed_by, min(seq) AS first_seq FROM sync_audit_new GROUP BY pushed_by LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('sync_audit_events:' || chain.pushed_by, 0));
        -- Rows at or above the first new seq that are not new ones (an index range count; the
        -- transition table has no index, so no anti-join against it).
        IF (SELECT count(*) FROM sync_audit_events e WHERE e.pushed_by = chain.pushed_by AND e.seq >= chain.first_seq)
           > (SELECT count(*) FROM sync_audit_new n WHERE n.pushed_by = chain.pushed_by) THEN
            RAISE EXCEPTION 'audit chain of % refused at event #%: central already holds later events of this station',
                chain.pushed_by, chain.first_seq
                USING ERRCODE = 'check_violation', CONSTRAINT = 'sync_audit_chain_extends_head';
        END IF;
        SELECT e.seq, e.hash, e.hash_scheme INTO head FROM sync_audit_events e
            WHERE e.pushed_by = chain.pushed_by AND e.seq < chain.first_seq ORDER BY e.seq DESC LIMIT 1;
        IF FOUND THEN
            head_hash := head.hash;
            head_keyed := head.hash_scheme <> 'sha256';
        ELSE
            head_hash := repeat('0', 64);
            head_keyed := false;
        END IF;
        SELECT n.seq, n.prev_hash, n.expected, n.downgrade INTO bad FROM (
            SELECT seq, prev_hash,
                   coalesce(lag(hash) OVER (ORDER BY seq), head_hash) AS expected,
                   hash_scheme = 'sha256' AND (head_keyed OR coalesce(bool_or(hash_scheme <> 'sha256')
                       OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)) AS downgrade
            FROM sync_audit_new WHERE pushed_by = chain.pushed_by) n
        WHERE n.prev_hash <> n.expected OR n.downgrade
        ORDER BY n.seq LIMIT 1;
        IF FOUND THEN
            IF bad.downgrade THEN
                RAISE EXCEPTION 'audit chain of % refused at event #%: a plain SHA-256 event after keyed ones',
                    chain.pushed_by, bad.seq
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'sync_audit_chain_extends_head';
            END IF;
            RAISE EXCEPTION 'audit chain of % refused at event #%: it links to %, but central''s chain ends in %',
                chain.pushed_by, bad.seq, left(bad.prev_hash, 12), left(bad.expected, 12)
                USING ERRCODE = 'check_violation', CONSTRAINT = 'sync_audit_chain_extends_head';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
"""

HEADS = """
CREATE VIEW sync_audit_heads AS
SELECT DISTINCT ON (pushed_by) pushed_by, seq, hash, hash_scheme, at, received_at
FROM sync_audit_events ORDER BY pushed_by, seq DESC
"""


def upgrade() -> None:
    op.create_table(
        "sync_audit_events",
        sa.Column("pushed_by", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", station.models.base.UtcDateTime(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("operator_badge", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("hash_scheme", sa.String(length=40), nullable=False),
        sa.Column("received_at", station.models.base.UtcDateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("pushed_by", "seq", name=op.f("pk_sync_audit_events")),
    )
    op.create_table(
        "sync_audit_refusals",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("pushed_by", sa.String(length=64), nullable=False),
        sa.Column("central_seq", sa.BigInteger(), nullable=False),
        sa.Column("central_hash", sa.String(length=64), nullable=False),
        sa.Column("station_seq", sa.BigInteger(), nullable=False),
        sa.Column("station_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detected_at", station.models.base.UtcDateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_audit_refusals")),
        sa.UniqueConstraint("pushed_by", "central_seq", "station_seq", "station_hash",
                            name=op.f("uq_sync_audit_refusals_pushed_by")),
    )
    if op.get_bind().dialect.name != "postgresql":
        log.warning("central database is not PostgreSQL: the audit copy is not protected against rewriting")
        return
    op.create_check_constraint("hash_is_hex", "sync_audit_events",
                               "hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$'")
    op.create_check_constraint("known_scheme", "sync_audit_events",
                               "hash_scheme = 'sha256' OR hash_scheme ~ '^hmac-sha256:[0-9a-f]{8}$'")
    op.execute(APPEND_ONLY)
    op.execute("CREATE TRIGGER sync_audit_no_change BEFORE UPDATE OR DELETE ON sync_audit_events "
               "FOR EACH ROW EXECUTE FUNCTION sync_audit_append_only()")
    op.execute("CREATE TRIGGER sync_audit_no_truncate BEFORE TRUNCATE ON sync_audit_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION sync_audit_append_only()")
    op.execute(EXTEND)
    op.execute("CREATE TRIGGER sync_audit_extend AFTER INSERT ON sync_audit_events "
               "REFERENCING NEW TABLE AS sync_audit_new FOR EACH STATEMENT EXECUTE FUNCTION sync_audit_extend()")
    op.execute(HEADS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP VIEW IF EXISTS sync_audit_heads")
        op.execute("DROP TRIGGER IF EXISTS sync_audit_extend ON sync_audit_events")
        op.execute("DROP TRIGGER IF EXISTS sync_audit_no_truncate ON sync_audit_events")
        op.execute("DROP TRIGGER IF EXISTS sync_audit_no_change ON sync_audit_events")
        op.execute("DROP FUNCTION IF EXISTS sync_audit_extend()")
        op.execute("DROP FUNCTION IF EXISTS sync_audit_append_only()")
    op.drop_table("sync_audit_refusals")
    op.drop_table("sync_audit_events")
