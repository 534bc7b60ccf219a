"""The Jinja environment: German date formats and the globals every page uses."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup, escape

from fachaustausch.accounts.policy import AUTHORITY_KIND_LABELS, ROLE_LABELS
from fachaustausch.http.dependencies import AppSettings
from fachaustausch.moderation.models import FLAG_REASON_LABELS

BERLIN = ZoneInfo("Europe/Berlin")


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BERLIN)


def date_de(value: datetime | None) -> str:
    return _local(value).strftime("%d.%m.%Y") if value else ""


def datetime_de(value: datetime | None) -> str:
    return _local(value).strftime("%d.%m.%Y, %H:%M Uhr") if value else ""


def aria_described(field_id: str, hint: object, error: object) -> Markup:
    """A form field's link to its hint and error message, and its invalid mark. A function,
    not a macro: a Jinja macro call costs far more, for every field."""
    fid = escape(field_id)
    if not error:
        return Markup(f' aria-describedby="{fid}-hint"' if hint else "")  # noqa: S704 (escaped)
    ids = f"{fid}-hint {fid}-error" if hint else f"{fid}-error"
    return Markup(f' aria-describedby="{ids}" aria-invalid="true"')  # noqa: S704 (escaped)


def configure_environment(env: Environment, settings: AppSettings) -> None:
    env.autoescape = True
    # Outside development a template never changes while the app runs: no stat() of every
    # template and imported macro file on each render.
    env.auto_reload = not settings.is_production
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters["datum"] = date_de
    env.filters["datum_zeit"] = datetime_de
    env.globals["aria_described"] = aria_described
    env.globals["role_labels"] = {str(k): v for k, v in ROLE_LABELS.items()}
    env.globals["authority_kind_labels"] = {str(k): v for k, v in AUTHORITY_KIND_LABELS.items()}
    env.globals["site_name"] = "Fachaustausch Willkommensbehörden"
    env.globals["base_url"] = settings.base_url
    env.globals["flag_reasons"] = [(str(k), v) for k, v in FLAG_REASON_LABELS.items()]
    env.globals["close_reasons"] = [
        ("duplicate", "Duplikat einer anderen Frage"),
        ("outdated", "nicht mehr aktuell"),
        ("off_topic", "gehört nicht zum Thema"),
    ]
