"""The photo store: pictures kept once by SHA-256 under ``<data dir>/photos/ab/abcdef...``.

Content addressing makes a retake of the same frame free, lets sync upload each picture once,
and makes tampering visible (a file whose hash is not its name was changed). Files are written
to a temporary name and renamed, so a crash never leaves half a picture under a real name. A
file written for a transaction that then rolled back is harmless: nothing points at it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from station.core import paths
from station.core.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}


def check_image(data: bytes, content_type: str) -> str:
    """Refuse what is not a picture we can show later; return the normalised content type."""
    content_type = content_type.strip().lower()
    if content_type == "image/jpg":
        content_type = "image/jpeg"
    if content_type not in _MAGIC:
        raise InvalidInput(f"Photos must be JPEG, PNG or WebP, not {content_type or 'an unknown type'}.")
    if not data:
        raise InvalidInput("The photo is empty.", next_step="Take the photo again.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"The photo is {len(data) // (1024 * 1024)} MB; at most {MAX_BYTES // (1024 * 1024)} MB.",
                           next_step="Lower the camera resolution in settings.")
    if not data.startswith(_MAGIC[content_type]) or (content_type == "image/webp" and data[8:12] != b"WEBP"):
        raise InvalidInput(f"The file is not a {content_type.split('/')[1].upper()} picture.",
                           next_step="Take the photo again or pick another file.")
    return content_type


class PhotoStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else paths.data_dir() / "photos"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` once; return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_for(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{digest}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
        return digest

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """True if the stored file is still exactly the picture that was taken."""
        path = self.path_for(sha256)
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
