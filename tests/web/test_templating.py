"""The Jinja helpers of web/templating.py, on their own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from markupsafe import Markup

from fachaustausch.web.templating import aria_described, date_de, datetime_de


@pytest.mark.parametrize(
    ("hint", "error", "expected"),
    [
        ("", "", ""),
        ("Hinweis", "", ' aria-describedby="body-hint"'),
        ("", "Bitte ausfüllen.", ' aria-describedby="body-error" aria-invalid="true"'),
        (
            Markup("<b>Hinweis</b>"),
            "Zu lang.",
            ' aria-describedby="body-hint body-error" aria-invalid="true"',
        ),
    ],
)
def test_a_field_points_at_its_hint_and_error(hint: str, error: str, expected: str) -> None:
    result = aria_described("body", hint, error)
    assert isinstance(result, Markup)
    assert str(result) == expected


def test_a_field_id_cannot_break_out_of_the_attribute() -> None:
    result = aria_described('x" onfocus="alert(1)', "Hinweis", "")
    assert str(result) == ' aria-describedby="x&#34; onfocus=&#34;alert(1)-hint"'


def test_dates_read_as_in_germany() -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Berlin.
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert date_de(moment) == "01.01.2027"
    assert datetime_de(moment) == "01.01.2027, 00:30 Uhr"
    assert date_de(None) == ""
