"""docs/design.md maps every module of the package: a module added or
renamed without its line in the map fails here."""

from __future__ import annotations

import pathlib
import re

import mali_aid

PACKAGE = pathlib.Path(mali_aid.__file__).parent
DESIGN = pathlib.Path(__file__).resolve().parents[2] / "docs" / "design.md"


def _modules() -> list[str]:
    """Every module file of the package, as the map names it."""
    return sorted(
        path.name
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py", "_version.py")
    )


def _mapped() -> set[str]:
    text = DESIGN.read_text(encoding="utf-8")
    table = text[text.index("## Where things live") :]
    return set(re.findall(r"`([A-Za-z_]+\.py)`", table))


def test_every_module_is_on_the_map() -> None:
    missing = [name for name in _modules() if name not in _mapped()]
    assert missing == []


def test_the_map_names_no_module_that_is_gone() -> None:
    gone = sorted(_mapped() - set(_modules()) - {"__init__.py"})
    assert gone == []


def test_the_map_is_read_from_the_page() -> None:
    """The page parses: the modules it names include the engine's."""
    assert {"_engine.py", "_columns.py", "_rounding.py"} <= _mapped()
