"""The per-station secret that keys the audit chain, kept outside the station database.

With plain SHA-256, anyone who can write the database file can edit an event and compute
every hash after it again. Each new event's hash is therefore an HMAC-SHA256 under a secret
that does not live in the database: re-chaining needs the secret, not just the file.

Where the secret lives (docs/security.md names it for admins):

- by default a file ``<config dir>/audit-keys/<station id>.key`` (64 hex digits), created on
  first use with mode 0600 in a 0700 directory; ``RMA_AUDIT_KEY_DIR`` moves the directory
  (tests point it at their tmp_path; a kiosk can put it on a root-owned path);
- with ``RMA_AUDIT_KEY_STORE=keyring``, the OS keyring (service ``rma-station-audit``, user =
  station id) through the ``keyring`` library.

The store is chosen explicitly, never by "whatever works today": a station that wrote with a
key from the keyring and, after a reboot without a keyring daemon, silently made a new key in
a file would break its own chain.

A key is named by its *key id*, the first 8 hex digits of SHA-256 over the key. Events carry
it (``hash_scheme = "hmac-sha256:<key id>"``), so ``audit verify`` can tell "this event was
keyed with a key that is not this station's" from "this event was edited".
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import stat
import threading
from pathlib import Path

from station.core import paths
from station.core.errors import ConfigError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "rma-station-audit"
KEY_BYTES = 32
ENV_DIR = "RMA_AUDIT_KEY_DIR"
ENV_STORE = "RMA_AUDIT_KEY_STORE"
STORES = ("file", "keyring")

_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def key_id(key: bytes) -> str:
    """A short public name for a key (it reveals nothing usable about the key)."""
    return hashlib.sha256(key).hexdigest()[:8]


def _file_name(station_id: str) -> str:
    if _SAFE_NAME.fullmatch(station_id) and not station_id.startswith("."):
        return f"{station_id}.key"
    return f"station-{hashlib.sha256(station_id.encode()).hexdigest()[:16]}.key"


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ConfigError(f"The audit key in {where} is not hex digits.",
                          next_step="Restore the key from the station's backup; do not make a new one.") from None
    if len(key) < 16:
        raise ConfigError(f"The audit key in {where} is too short ({len(key)} bytes).",
                          next_step="Restore the key from the station's backup; do not make a new one.")
    return key


class AuditKeyStore:
    """Reads and (on first use) creates per-station audit keys in one place; keys are cached.

    ``get`` never creates (``audit verify`` must not invent a key and then report every old
    event as forged); ``get_or_create`` is what appending an event uses.
    """

    def __init__(self, directory: Path | None = None, *, backend: str = "file") -> None:
        if backend not in STORES:
            raise ConfigError(f"Unknown audit key store {backend!r}.", next_step=f"Use one of: {', '.join(STORES)}.")
        self.backend = backend
        self.directory = directory
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    # -- where ---------------------------------------------------------------------------

    def _dir(self) -> Path:
        return self.directory or paths.config_dir() / "audit-keys"

    def path_for(self, station_id: str) -> Path:
        return self._dir() / _file_name(station_id)

    def describe(self, station_id: str) -> str:
        """Where this station's key is looked for, in words for a message."""
        if self.backend == "keyring":
            return f"the OS keyring (service {KEYRING_SERVICE}, user {station_id})"
        return f"the file {self.path_for(station_id)}"

    # -- read ----------------------------------------------------------------------------

    def get(self, station_id: str) -> bytes | None:
        """The station's key, or None if there is none here (raises if it exists but is unreadable)."""
        cached = self._cache.get(station_id)
        if cached is not None:
            return cached
        key = self._read_keyring(station_id) if self.backend == "keyring" else self._read_file(station_id)
        if key is not None:
            self._cache[station_id] = key
        return key

    def _read_file(self, station_id: str) -> bytes | None:
        path = self.path_for(station_id)
        try:
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The audit key {path} cannot be read ({exc}).",
                              next_step="Check the file's owner and permissions (0600, the station's user).") from exc
        if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("audit key %s is readable by other users; it should be mode 0600", path)
        return _parse(text, str(path))

    def _read_keyring(self, station_id: str) -> bytes | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(KEYRING_SERVICE, station_id)
        except KeyringError as exc:
            raise ConfigError(f"The OS keyring cannot be read ({exc}).",
                              next_step=f"Unlock the keyring, or unset {ENV_STORE} to use the key file.") from exc
        return None if text is None else _parse(text, self.describe(station_id))

    # -- create --------------------------------------------------------------------------

    def get_or_create(self, station_id: str) -> bytes:
        """The station's key, made on first use (32 random bytes)."""
        key = self.get(station_id)
        if key is not None:
            return key
        with self._lock:
            key = self.get(station_id)
            if key is None:
                key = self._create(station_id)
                self._cache[station_id] = key
        return key

    def _create(self, station_id: str) -> bytes:
        key = secrets.token_bytes(KEY_BYTES)
        if self.backend == "keyring":
            import keyring
            from keyring.errors import KeyringError

            try:
                keyring.set_password(KEYRING_SERVICE, station_id, key.hex())
            except KeyringError as exc:
                raise ConfigError(f"The audit key cannot be stored in the OS keyring ({exc}).",
                                  next_step=f"Unset {ENV_STORE} to keep the key in a file instead.") from exc
            log.info("created the audit key for %s in the OS keyring (key id %s)", station_id, key_id(key))
            return key
        path = self.path_for(station_id)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago: use theirs
            existing = self._read_file(station_id)
            if existing is None:  # pragma: no cover - deleted again in between
                raise ConfigError(f"The audit key {path} vanished while it was being created.") from None
            return existing
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        log.info("created the audit key for %s in %s (key id %s)", station_id, path, key_id(key))
        return key


_default: dict[tuple[str, str, str], AuditKeyStore] = {}


def default_store() -> AuditKeyStore:
    """The store this process uses unless a caller hands another one in (one per location)."""
    backend = os.environ.get(ENV_STORE, "file").strip().lower() or "file"
    directory = os.environ.get(ENV_DIR, "")
    where = directory or str(paths.config_dir())
    ident = (backend, directory, where)
    store = _default.get(ident)
    if store is None:
        store = _default[ident] = AuditKeyStore(Path(directory) if directory else None, backend=backend)
    return store
