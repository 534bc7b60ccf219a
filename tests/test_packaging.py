"""`platform/` must never shadow the standard library's `platform` module."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import fachaustausch

ROOT = Path(__file__).resolve().parent.parent


def test_platform_folder_is_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_stdlib_platform_wins_from_the_repo_root() -> None:
    code = "import platform, uuid; print(platform.__file__, platform.system())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    location, system = result.stdout.split()
    assert not location.startswith(str(ROOT))
    assert system == "Linux"


def test_fachaustausch_imports_from_the_platform_folder() -> None:
    assert Path(next(iter(fachaustausch.__path__))).resolve() == ROOT / "platform"


def test_python_dash_m_pytest_works_from_the_root() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_packaging.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_platform_folder_is_not_a_package" in result.stdout


def test_every_sub_package_is_listed_for_the_wheel() -> None:
    """setuptools cannot discover sub-packages under the renamed folder: a folder missing
    from pyproject's list would be left out of the wheel (and the Docker image)."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        "fachaustausch." + ".".join(init.parent.relative_to(ROOT / "platform").parts)
        for init in (ROOT / "platform").rglob("__init__.py")
    }
    assert found <= listed, (
        f"missing in pyproject.toml [tool.setuptools] packages: {found - listed}"
    )
