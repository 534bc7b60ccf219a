"""Everything stored about a person, for them to take away (DSGVO Art. 15 and 20): one
dictionary, and a ZIP with it as JSON and as a readable HTML summary. Reads only; each
domain's rows are read where the person is their author, voter, follower, reporter or
recipient."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import AccessToken, AccountSession, User, UserInstrument
from fachaustausch.consultations import personal_data as consultations_data
from fachaustausch.core import clock
from fachaustausch.core.audit import AuditLog
from fachaustausch.moderation import personal_data as moderation_data
from fachaustausch.notifications import personal_data as notifications_data
from fachaustausch.questions import personal_data as questions_data

# The parts of the export, in the order the summary shows them, with their German titles.
SECTIONS = {
    "profil": "Profil",
    "expertise": "Expertise",
    "zugangstoken": "Zugangstoken",
    "anmeldungen": "Anmeldungen in Browsern",
    "fragen": "Fragen",
    "antworten": "Antworten",
    "kommentare": "Kommentare",
    "versionen": "Frühere Fassungen Ihrer Beiträge",
    "stimmen": "Stimmen",
    "gefolgte_fragen": "Gefolgte Fragen",
    "meldungen": "Ihre Meldungen",
    "fallberatungen": "Fallberatungen, an denen Sie teilnehmen",
    "fallberatungsbeitraege": "Beiträge in Fallberatungen",
    "benachrichtigungen": "Benachrichtigungen",
    "benachrichtigungseinstellungen": "Einstellungen für Benachrichtigungen",
    "gefolgte_themen": "Gefolgte Instrumente und Eckpunkte",
    "protokoll": "Protokolleinträge der Moderation zu Ihrem Konto",
}


async def personal_data(actor: Principal) -> dict[str, Any]:
    me = actor.id
    profile = (
        await User.select(
            User.id,
            User.handle,
            User.email,
            User.display_name,
            User.role,
            User.status,
            User.show_email,
            User.created_at,
            User.approved_at,
            User.authority.name.as_alias("authority"),
        )
        .where(User.id == me)
        .first()
        .run()
    )
    return {
        "erstellt_am": clock.now().isoformat(),
        "profil": profile or {},
        "expertise": await UserInstrument.select(
            UserInstrument.instrument.slug.as_alias("slug"),
            UserInstrument.instrument.title.as_alias("title"),
        ).where(UserInstrument.user == me),
        "zugangstoken": await AccessToken.select(
            AccessToken.name,
            AccessToken.prefix,
            AccessToken.created_at,
            AccessToken.last_used_at,
            AccessToken.revoked_at,
        ).where(AccessToken.user == me),
        # The account's entries, and its registration's (approved under the same number).
        "anmeldungen": await AccountSession.select(
            AccountSession.browser, AccountSession.created_at, AccountSession.last_seen_at
        ).where(AccountSession.user == me),
        "protokoll": await AuditLog.select(
            AuditLog.action, AuditLog.target_type, AuditLog.reason, AuditLog.created_at
        )
        .where(AuditLog.target_type.is_in(["user", "registration"]) & (AuditLog.target_id == me))
        .order_by(AuditLog.id),
        **await questions_data.of_person(me),
        **await consultations_data.of_person(me),
        "meldungen": await moderation_data.flags_raised_by(me),
        **await notifications_data.of_person(me),
    }


_SUMMARY = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Ihre Daten im Fachaustausch</title></head>
<body>
<h1>Ihre Daten im Fachaustausch Willkommensbehörden</h1>
<p>Stand: {{ data["erstellt_am"] }}. Die vollständigen Daten stehen in daten.json.</p>
{% for key, title in sections.items() %}
<h2>{{ title }}</h2>
{% set value = data[key] %}
{% if value is mapping %}
<dl>{% for k, v in value.items() %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>
{% elif value %}
<ul>{% for item in value %}<li>
{%- for k, v in item.items() %}{{ k }}: {{ v }}{% if not loop.last %}; {% endif %}{% endfor -%}
</li>{% endfor %}</ul>
{% else %}<p>Keine Einträge.</p>{% endif %}
{% endfor %}
</body></html>
"""
)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


async def export_archive(actor: Principal) -> bytes:
    """The ZIP: daten.json (everything) and uebersicht.html (the same, readable)."""
    data = await personal_data(actor)
    sections = {**SECTIONS, "fallberatungen_als_fallgeber": "Ihre eingebrachten Fälle"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "daten.json", json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
        )
        archive.writestr("uebersicht.html", _SUMMARY.render(data=data, sections=sections))
    return buffer.getvalue()
