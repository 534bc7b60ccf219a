"""The personal-data guard on an event's texts.

Title, description, programme and materials are free texts and pass the guard whole. The
place is an office's address ("Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar"):
an authority's address is no personal data, so an address found there is allowed, while a
name, a phone number or an e-mail address in the same field is still refused."""

from __future__ import annotations

from collections.abc import Sequence

from fachaustausch.core.errors import FieldError, InvalidInput
from fachaustausch.privacy.guard import check, explain, listing
from fachaustausch.privacy.refusal import FIELD_PREFIX, ensure_anonymous

# What the address detector reports: an office's address, or a street next to other words.
_OFFICE_ADDRESS = {"address", "combination"}


def ensure_event_texts_anonymous(
    *,
    title: str | None = None,
    description: str | None = None,
    place: str | None = None,
    programme: Sequence[str] | None = None,
    materials: str | None = None,
) -> None:
    texts: dict[str, str | None] = {
        "title": title,
        "description": description,
        "materials": materials,
    }
    for index, item in enumerate(programme or []):
        texts[f"programme.{index}.title"] = item
    ensure_anonymous(texts)
    if place:
        found = [f for f in check(place) if f.kind not in _OFFICE_ADDRESS]
        if found:
            raise InvalidInput(
                explain({"Ort": found}),
                [
                    FieldError(
                        "place",
                        FIELD_PREFIX + listing(found),
                        {"findings": [{"kind": f.kind, "text": f.text} for f in found]},
                    )
                ],
            )
