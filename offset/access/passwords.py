"""Passwords of people who log in to the web interface, hashed with argon2id.

argon2-cffi's PasswordHasher is argon2id with the parameters RFC 9106 recommends for
memory-constrained machines (64 MiB, three passes); a hash made with older parameters is
re-hashed on the next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from offset.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 takes any length; a bound keeps a crafted request cheap

_hasher = PasswordHasher()


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be one. Raises InvalidInput."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"must be at least {MIN_LENGTH} characters "
                           f"(パスワードは{MIN_LENGTH}文字以上)", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"must be at most {MAX_LENGTH} characters", field="password")
    if not password.strip():
        raise InvalidInput("must not be only spaces", field="password")


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password that passes check_password."""
    check_password(password)
    return _hasher.hash(password)


def matches(stored: str | None, password: str) -> bool:
    """Return whether `password` is the one `stored` was made from (False without a hash)."""
    if stored is None or len(password) > MAX_LENGTH:
        # Hash anyway, so that a missing user takes as long to refuse as a wrong password.
        _hasher.hash("offset: no such password")
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Return whether `stored` was made with parameters older than today's."""
    return _hasher.check_needs_rehash(stored)
