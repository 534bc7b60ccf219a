"""Runtime configuration: one pydantic-settings class, every knob with a working default."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The checkout root: platform/ sits directly below it, and so do frontend/ and migrations/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class SearchBackendName(StrEnum):
    embedded = "embedded"
    meilisearch = "meilisearch"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACHAUSTAUSCH_", env_file=".env", extra="ignore")

    environment: Environment = Environment.development
    var_dir: Path = PROJECT_ROOT / "var"
    frontend_dir: Path = PROJECT_ROOT / "frontend"
    migrations_dir: Path = PROJECT_ROOT / "migrations" / "fachaustausch"

    # sqlite:///path or postgresql://user@host:port/db; empty means var_dir/fachaustausch.sqlite3.
    database_url: str = ""
    # Connections the app keeps open (PostgreSQL and SQLite); 0 opens one per query.
    database_pool_size: int = Field(default=10, ge=0, le=200)

    # glibc malloc arenas for the server's threads, capped by `fachaustausch serve` before
    # the server starts (fachaustausch.process.memory); 0 keeps glibc's eight per core.
    malloc_arena_max: int = Field(default=2, ge=0, le=64)
    # Seconds between two returns of malloc's free pages to the system
    # (fachaustausch.process.memory); 0 never returns them.
    malloc_trim_interval_seconds: float = Field(default=10.0, ge=0, le=3600)
    # Freeze what start-up built out of the garbage collector's full collections
    # (fachaustausch.process.collector): shorter pauses under load.
    gc_freeze: bool = True
    # Collections of the middle generation between two full ones (Python: 10); fewer full
    # collections, fewer pauses of the whole server (fachaustausch.process.collector).
    # 0: Python's.
    gc_full_collection_every: int = Field(default=100, ge=0, le=100_000)
    # Question lists, counts, threads and who is signed in, kept until the next commit
    # (fachaustausch.database.read_cache; SQLite with the pool only); 0 turns the cache off.
    read_cache_entries: int = Field(default=256, ge=0, le=100_000)

    # Argon2id's cost per password hashed or checked (iterations, and memory in KiB): the
    # defaults are argon2-cffi's (RFC 9106 for little memory); tests lower them.
    password_hash_time_cost: int = Field(default=3, ge=1, le=100)
    password_hash_memory_kib: int = Field(default=65536, ge=64, le=4 * 1024 * 1024)

    search_backend: SearchBackendName = SearchBackendName.embedded
    meilisearch_url: str = "http://127.0.0.1:7700"
    meilisearch_api_key: str = ""
    meilisearch_index: str = "fachaustausch"
    # The in-app outbox worker; `fachaustausch search work` runs the same loop on its own.
    search_worker_enabled: bool = True
    search_worker_interval_seconds: float = Field(default=0.5, gt=0, le=60)
    # The notifications worker (events → notifications, digests, mails) inside the app; off
    # when `fachaustausch notifications send` runs as a worker of its own.
    notifications_worker_enabled: bool = True
    notifications_worker_interval_seconds: float = Field(default=1.0, gt=0, le=60)
    # The hour (Berlin time) daily digests go out, and weekly ones on Mondays.
    notifications_digest_hour: int = Field(default=7, ge=0, le=23)
    # The content review: an accepted answer not reviewed for this many months is due again.
    content_review_age_months: int = Field(default=24, ge=1, le=240)
    # Embedded engine: results kept per index state (0 = none; see docs/search.md); a
    # commit empties it.
    search_cache_size: int = Field(default=128, ge=0, le=100_000)

    redis_url: str = ""
    smtp_url: str = ""
    mail_from: str = "fachaustausch@bamf.example"

    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"

    # The operator, as the Impressum (§ 5 DDG) and the privacy statement (Art. 13 DSGVO)
    # name it; the defaults are the BAMF's, which runs the platform.
    operator_name: str = "Bundesamt für Migration und Flüchtlinge"
    operator_street: str = "Frankenstraße 210"
    operator_city: str = "90461 Nürnberg"
    operator_represented_by: str = "den Präsidenten des Bundesamts für Migration und Flüchtlinge"
    operator_phone: str = "+49 911 943-0"
    operator_email: str = "info@bamf.bund.de"
    operator_supervisory_authority: str = "Bundesministerium des Innern"
    operator_vat_id: str = ""
    privacy_officer: str = (
        "Die oder der Datenschutzbeauftragte des Bundesamts für Migration und Flüchtlinge, "
        "Frankenstraße 210, 90461 Nürnberg"
    )
    privacy_officer_email: str = "datenschutz@bamf.bund.de"
    # What the privacy statement says of the web server's request logs: the operator's log
    # rotation keeps them no longer.
    access_log_retention_days: int = Field(default=7, ge=0, le=365)

    # Login throttling: failures before delays start, the delay cap, and the lock.
    login_free_attempts: int = 3
    login_max_delay_seconds: int = 60
    login_lock_after: int = 10
    login_lock_seconds: int = 15 * 60
    session_max_age_seconds: int = 8 * 60 * 60
    # Registrations send mail: per client address an hour, and per recipient a day.
    registrations_per_address_per_hour: int = Field(default=20, ge=1)
    registration_mails_per_recipient_per_day: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.environment is Environment.production and len(self.secret_key) < 32:
            raise ValueError(
                "FACHAUSTAUSCH_SECRET_KEY must be set (at least 32 characters) in production"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.production

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'fachaustausch.sqlite3'}"

    @cached_property
    def resolved_secret_key(self) -> str:
        """The configured key, or in development one generated once and kept under var/."""
        if self.secret_key:
            return self.secret_key
        key_file = self.var_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key

    @property
    def search_dir(self) -> Path:
        return self.var_dir / "search"

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def session_dir(self) -> Path:
        return self.var_dir / "sessions"
