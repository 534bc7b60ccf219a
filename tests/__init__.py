import pytest

# Shared helpers live outside test_*.py files and are imported across folders: let pytest
# explain their assertions, registered before anything imports them.
pytest.register_assert_rewrite(
    "tests.factories",
    "tests.consultations.support",
    "tests.moderation.support",
    "tests.search.contract",
    "tests.search.support",
    "tests.web.helpers",
    "tests.web.qa",
)
