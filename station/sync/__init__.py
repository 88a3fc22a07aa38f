"""Central sync (DESIGN.md section 7): outbox push, change-feed pull, conflicts, status.

No Qt here: the window runs ``SyncWorker`` (or ``SyncWorker.run_once`` in a QThread) and
polls ``read_status`` for its status bar.
"""
