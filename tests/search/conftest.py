import pytest

# The shared contract lives outside test_*.py files: let pytest explain its assertions.
pytest.register_assert_rewrite("tests.search.contract")
