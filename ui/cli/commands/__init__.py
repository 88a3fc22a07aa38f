"""Sub-commands of ``rma-station``; each module exposes ``register(subparsers)``."""
