"""The audit log names every action in German, including those written outside moderation
(the people pages, the account deletion, the self-assessment's criteria)."""

from __future__ import annotations

import pytest

from fachaustausch.moderation.models import action_label


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("set_authority", "Behörde geändert"),
        ("delete_account", "Konto gelöscht"),
        ("criterion_add", "Kriterium angelegt"),
        ("criterion_edit", "Kriterium bearbeitet"),
        ("criterion_retire", "Kriterium zurückgezogen"),
        ("suspend", "Konto gesperrt"),
    ],
)
def test_every_written_action_has_a_german_label(action: str, label: str) -> None:
    assert action_label(action) == label
