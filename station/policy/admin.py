"""The admin edits the return policy: validated like ``policy check``, written atomically, audited.

The site's copy lives in the config dir (``config_dir()/policy.toml``) and overrides the
shipped ``station/data/policy.toml``. A text with any problem (TOML syntax, a bad value, an
unknown category or reason, each with its line) is refused and nothing is written, so a typo
never reaches ``load_policy`` (which would fall back to the shipped policy with only a log
line). The running station keeps the policy it loaded at start (``StationContext`` is frozen
and shared by every view and the web service process); a saved policy takes effect at the
next start of the station and of ``rma-station serve``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from station.catalog.categories import product_categories
from station.catalog.reasons import load_reasons
from station.core.context import Actor, StationContext
from station.core.errors import InvalidInput
from station.core.permissions import Permission
from station.core.return_policy import SHIPPED
from station.core.services import Service
from station.policy.check import check_policy_file, check_policy_text, known_categories


def sha256_of(text: str | None) -> str:
    """The hex digest of a policy text as stored (UTF-8); ``""`` for no file."""
    return "" if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PolicyInForce:
    """The policy file the station reads at start, and whether it is the site's copy."""

    path: Path
    text: str
    site: bool


class PolicyRefused(InvalidInput):
    """A policy text with problems; ``problems`` are ``policy.toml:LINE: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"The policy has {len(problems)} problem(s); nothing was saved.",
                         next_step="Correct the lines named and save again.")
        self.problems = problems


class PolicyAdmin(Service):
    """Read, check, save and restore the site's policy file (admins only for changes)."""

    def __init__(self, ctx: StationContext, site_path: Path | None = None) -> None:
        super().__init__(ctx)
        self._site_path = site_path

    @property
    def site_path(self) -> Path:
        if self._site_path is None:
            from station.core.paths import config_dir

            self._site_path = config_dir() / "policy.toml"
        return self._site_path

    def in_force(self) -> PolicyInForce:
        """The site's copy if there is one, else the shipped policy (what ``load_policy`` reads)."""
        if self.site_path.is_file():
            return PolicyInForce(self.site_path, self.site_path.read_text(encoding="utf-8"), True)
        return PolicyInForce(SHIPPED, SHIPPED.read_text(encoding="utf-8"), False)

    def check(self, text: str) -> list[str]:
        """Every problem in ``text``, checked exactly as ``rma-station policy check`` does, with
        the catalogue's categories counted as known (as ``policy check --db``)."""
        return check_policy_text(text, self.site_path.name, load_reasons(), self._categories())[1]

    def check_file(self, actor: Actor, path: Path) -> list[str]:
        """``policy check FILE --db``: the file's problems, the catalogue's categories known."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        return check_policy_file(path, load_reasons(), self._categories())

    def _categories(self) -> set[str]:
        with self.reading() as db:
            return known_categories(product_categories(db))

    def save(self, actor: Actor, text: str) -> Path:
        """Write ``text`` as the site's policy if it has no problems; else ``PolicyRefused``."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        problems = self.check(text)
        if problems:
            raise PolicyRefused(problems)
        self._write(actor, text, "policy.saved")
        return self.site_path

    def restore_shipped(self, actor: Actor) -> None:
        """Remove the site's copy so the shipped policy is used from the next start (audited)."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        old = self._old_text()
        with self.transaction() as db:
            self.audit(db, actor, "policy.restored", "policy", "policy.toml",
                       {"path": str(self.site_path), "old_sha256": sha256_of(old),
                        "new_sha256": sha256_of(SHIPPED.read_text(encoding="utf-8"))})
            # Removed inside the transaction: if the audit cannot be written, the file stays.
            self.site_path.unlink(missing_ok=True)

    def _old_text(self) -> str | None:
        return self.site_path.read_text(encoding="utf-8") if self.site_path.is_file() else None

    def _write(self, actor: Actor, text: str, action: str) -> None:
        old = self._old_text()
        with self.transaction() as db:
            self.audit(db, actor, action, "policy", "policy.toml",
                       {"path": str(self.site_path), "old_sha256": sha256_of(old), "new_sha256": sha256_of(text)})
            # Temp file in the same directory, then os.replace: a reader sees the old file or
            # the new one, never half of it; the audit commits only if the write succeeded.
            self.site_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".policy-", suffix=".toml", dir=self.site_path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.site_path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
