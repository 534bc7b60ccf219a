"""The one way the platform refuses a text with personal data.

Every service that stores what a user wrote calls `ensure_anonymous` with the texts of the
action, by field name, before it writes. A refusal is an InvalidInput (422) whose detail
names every finding with its position, per field, in German; each field's error carries the
findings as data too, so the API lists them and a form shows them next to the field while
keeping what the user typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fachaustausch.core.errors import FieldError, InvalidInput
from fachaustausch.privacy.guard import Finding, check_fields, explain, listing

# The German names of the fields that hold free text, for the message's "im Feld „…“".
FIELD_LABELS = {
    "title": "Titel",
    "body": "Text",
    "summary": "Zusammenfassung",
    "key_question": "Schlüsselfrage",
    "reason": "Begründung",
    "text": "Erläuterung",
    "name": "Bezeichnung",
    "description": "Beschreibung",
    "statement": "Leitsatz",
    "origin_note": "Herkunft",
}
FIELD_PREFIX = "Bitte entfernen Sie personenbezogene Daten: "


def _finding_data(finding: Finding) -> dict[str, object]:
    return {
        "kind": finding.kind,
        "label": finding.label,
        "text": finding.text,
        "start": finding.start,
        "end": finding.end,
    }


class PersonalDataFound(InvalidInput):
    """A text of the action carries personal data; `findings` lists them by field."""

    def __init__(self, findings: Mapping[str, Sequence[Finding]]) -> None:
        self.findings = {name: list(found) for name, found in findings.items()}
        errors = [
            FieldError(
                name,
                FIELD_PREFIX + listing(found),
                {"findings": [_finding_data(f) for f in found]},
            )
            for name, found in self.findings.items()
        ]
        detail = explain({FIELD_LABELS.get(name, name): found for name, found in findings.items()})
        super().__init__(detail, errors)


def ensure_anonymous(fields: Mapping[str, str | None]) -> None:
    """Refuses the action if any of its texts (by field name; None for a field the action
    leaves unchanged) carries personal data."""
    findings = check_fields({name: value for name, value in fields.items() if value})
    if findings:
        raise PersonalDataFound(findings)
