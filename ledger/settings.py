"""Deployment settings, read once from the environment (``LEDGER_*``).

Users configure the ledger with a database URL and a home folder; they never need to know the
eventsourcing library's own variable names, which :func:`persistence_env` derives from these.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.settings import DomainSettings

DEFAULT_ORIGIN = "ledger.example.org/dangyuan"
CIPHER_KEY_FILE = "cipher.key"
LEDGER_KEY_FILE = "ledger-key.pem"
ORIGIN_FILE = "origin"


class SettingsError(ValueError):
    """A setting has a value the ledger cannot use; the message says which and why."""


class Settings(BaseSettings):
    """Where the ledger keeps its data and keys, and how it names itself."""

    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore", env_nested_delimiter="__")

    database_url: str = Field(
        default="sqlite:///./var/ledger.sqlite",
        description="sqlite:///path/to/file or postgresql://user@host:port/dbname[?schema=name]",
    )
    home: Path = Field(default=Path("./var"), description="folder holding the ledger key and origin")
    origin: str | None = Field(
        default=None, description="the ledger's origin line; fixed by `ledger init`, read from LEDGER_HOME"
    )
    cipher_key: SecretStr | None = Field(
        default=None, description="base64 AES key (16, 24 or 32 bytes) for encryption at rest"
    )
    domain: DomainSettings = Field(
        default_factory=DomainSettings,
        description="procedure settings of procedures.md 5.5, e.g. LEDGER_DOMAIN__MIN_SEARCH_ATTEMPTS=2",
    )
    public_transparency: bool = Field(
        default=True, description="serve checkpoints, proofs and leaves without a token"
    )
    storage_wait_seconds: int = Field(
        default=5,
        ge=1,
        le=300,
        description="PostgreSQL: how long a request waits for a database connection before it fails "
        "(the API answers 503 storage-unavailable)",
    )

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        backend_of(value)
        return value

    @field_validator("cipher_key")
    @classmethod
    def _valid_cipher_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            check_cipher_key(value.get_secret_value())
        return value if value is not None and value.get_secret_value() else None

    @property
    def backend(self) -> Literal["sqlite", "postgres"]:
        """Which storage engine the database URL names."""
        return backend_of(self.database_url)

    @property
    def ledger_key_path(self) -> Path:
        """The PEM file of the ledger's own Ed25519 key (signs checkpoints and the genesis)."""
        return self.home / LEDGER_KEY_FILE

    def resolved_origin(self) -> str:
        """The origin in force: the environment's, else the one `ledger init` wrote, else the default."""
        if self.origin:
            return self.origin
        stored = self.home / ORIGIN_FILE
        if stored.exists():
            return stored.read_text(encoding="utf-8").strip()
        return DEFAULT_ORIGIN

    def resolved_cipher_key(self) -> str | None:
        """The cipher key in force: the environment's, else the one `ledger init` generated."""
        if self.cipher_key is not None:
            return self.cipher_key.get_secret_value()
        stored = self.home / CIPHER_KEY_FILE
        if stored.exists():
            key = stored.read_text(encoding="ascii").strip()
            check_cipher_key(key)
            return key
        return None

    def persistence_env(self) -> dict[str, str]:
        """The eventsourcing library's environment for this database and cipher."""
        env = persistence_env(self.database_url)
        if self.backend == "postgres":
            env["POSTGRES_CONNECT_TIMEOUT"] = str(self.storage_wait_seconds)
        cipher_key = self.resolved_cipher_key()
        if cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = cipher_key
        return env


def check_cipher_key(key: str) -> None:
    """Refuse a cipher key that is not base64 of 16, 24 or 32 bytes (AES-128/192/256)."""
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        raise SettingsError("LEDGER_CIPHER_KEY is not valid base64") from None
    if len(raw) not in (16, 24, 32):
        raise SettingsError(f"LEDGER_CIPHER_KEY must decode to 16, 24 or 32 bytes, not {len(raw)}")


def backend_of(url: str) -> Literal["sqlite", "postgres"]:
    """Name the storage engine of a database URL, refusing any other scheme."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgres"
    raise SettingsError(f"LEDGER_DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}")


def persistence_env(url: str) -> dict[str, str]:
    """Map a database URL onto the eventsourcing library's persistence variables."""
    if backend_of(url) == "sqlite":
        path = url.split("sqlite://", 1)[1]
        if path.startswith("/"):
            path = path[1:]
        if not path:
            raise SettingsError("a sqlite URL needs a file path: sqlite:///path/to/ledger.sqlite")
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": "ledger.recorders:GuardedSQLiteApplicationRecorder",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorders:GuardedPostgresApplicationRecorder",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_POOL_SIZE": "5",
        "POSTGRES_MAX_OVERFLOW": "10",
        "POSTGRES_LOCK_TIMEOUT": "10",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    return env
