"""PIN hashing: scrypt with its parameters in the stored string, and what a PIN may look like.

Apart from ``station.operators.service`` (sign-in, throttling, operator records) because
it needs nothing but the standard library: a first ``--demo`` launch hashes the demo
staff's PINs on a worker thread from its first millisecond, before SQLAlchemy and the
models are loaded (``station.demo_staff``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from station.core.errors import InvalidInput

# n=2^15, r=8 uses 32 MiB and about 90 ms a hash on this station's CPU (bench/bench_signin.py);
# 2^14 (before December 2026) took about 42 ms.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12
# hashlib's default memory cap is 32 MiB, just under what n=2^15, r=8 needs. The cap for
# verifying keeps a hash with absurd parameters (a corrupt or hostile row) from eating memory.
_HASH_MAXMEM = 64 * 1024 * 1024
_VERIFY_MAXMEM = 512 * 1024 * 1024


def check_pin_shape(pin: str) -> None:
    """4 to 12 ASCII digits; full-width, Arabic-Indic and superscript digits are refused."""
    if not (pin.isascii() and pin.isdigit()):
        raise InvalidInput("A PIN is digits 0-9 only.",
                           next_step="Type it on the number keys (switch the keyboard to English if needed).",
                           zh=("PIN 只能是数字 0-9。", "请用数字键输入（必要时把输入法切换为英文）。"))
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise InvalidInput(f"A PIN is {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits.",
                           zh=(f"PIN 为 {MIN_PIN_LENGTH} 到 {MAX_PIN_LENGTH} 位数字。", ""))


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    check_pin_shape(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=_HASH_MAXMEM)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected), maxmem=_VERIFY_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with other parameters than today's."""
    return not stored.startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$")
