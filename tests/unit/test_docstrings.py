"""The examples in the docstrings run, against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import mali_aid

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(mali_aid.__path__, prefix="mali_aid.")
    if info.name not in {"mali_aid.__main__"}
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_every_public_name_has_a_docstring() -> None:
    missing = [
        name
        for name in mali_aid.__all__
        if not (getattr(mali_aid, name).__doc__ or "").strip()
    ]
    assert missing == []


def test_public_names_are_unique_and_importable() -> None:
    assert len(set(mali_aid.__all__)) == len(mali_aid.__all__)
    for name in mali_aid.__all__:
        assert hasattr(mali_aid, name)


def test_strategies_without_hypothesis_name_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import mali_aid.strategies\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "pip install 'mali-aid[strategies]'" in result.stdout


def test_importing_the_package_imports_neither_pint_nor_hypothesis() -> None:
    code = (
        "import sys, mali_aid\n"
        "print(sorted(m for m in ('pint', 'hypothesis') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
