import pytest

# The shared helpers live outside test_*.py files: let pytest explain their assertions.
pytest.register_assert_rewrite("tests.consultations.support")
