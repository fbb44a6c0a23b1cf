"""Typed settings read from the environment (prefix OFFSET_), built once on first use."""

from __future__ import annotations

from functools import cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from offset.forestry.sheets import Limits

# Connections each engine keeps open: one for each thread FastAPI runs sync routes and
# dependencies on (anyio's default thread limiter has 40), so that a busy server neither
# waits for a connection nor opens and closes one per request.
DEFAULT_POOL_SIZE = 40


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OFFSET_", extra="ignore")

    database_url: str = "sqlite:///offset.db"
    # How long a writer waits for SQLite's write lock before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = 30_000
    # Connections each engine keeps open (DEFAULT_POOL_SIZE); beyond them SQLAlchemy opens
    # up to 10 more for a moment, closing each after use.
    database_pool_size: int = Field(default=DEFAULT_POOL_SIZE, ge=1)
    # Where people reach the web interface: the one-time password links printed by the CLI
    # start with it.
    public_url: str = "http://127.0.0.1:8000"
    # Bounds of an imported file (docs/import-format.md); beyond one, the file is refused.
    import_max_bytes: int = 10 * 2**20
    import_max_uncompressed_bytes: int = 50 * 2**20
    import_max_compression_ratio: int = 100
    import_max_sheets: int = 20
    import_max_rows: int = 20_000
    import_max_columns: int = 30
    # Requests per minute one address may make to the public open-data endpoints.
    open_data_per_minute: int = Field(default=60, ge=1)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError("OFFSET_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return url

    def import_limits(self) -> Limits:
        """Return the bounds of an imported file."""
        return Limits(self.import_max_bytes, self.import_max_uncompressed_bytes,
                      self.import_max_compression_ratio, self.import_max_sheets,
                      self.import_max_rows, self.import_max_columns)


@cache
def settings() -> Settings:
    """Return the settings of this process, read from the environment on the first call."""
    return Settings()
