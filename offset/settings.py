"""Typed settings read from the environment (prefix OFFSET_), built once on first use."""

from __future__ import annotations

from functools import cache

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OFFSET_", extra="ignore")

    database_url: str = "sqlite:///offset.db"
    # How long a writer waits for SQLite's write lock before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = 30_000

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError("OFFSET_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return url


@cache
def settings() -> Settings:
    """Return the settings of this process, read from the environment on the first call."""
    return Settings()
