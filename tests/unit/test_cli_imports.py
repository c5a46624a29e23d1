"""The command line calls the public API only: no private module, no
private name of ``mali_aid``, in any module of ``mali_aid._cli``."""

from __future__ import annotations

import ast
import pathlib
import tomllib

import mali_aid
import mali_aid._cli

CLI = pathlib.Path(mali_aid._cli.__file__).parent
PACKAGE = CLI.parent
ROOT = pathlib.Path(__file__).resolve().parents[2]
PUBLIC_MODULES = {"mali_aid", "mali_aid.errors", "mali_aid.export", "mali_aid.iati"}


def _imports(path: pathlib.Path) -> list[tuple[str, int, tuple[str, ...]]]:
    """(module, relative level, names) of every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            found.append((node.module or "", node.level, names))
    return found


def _private_attributes(path: pathlib.Path) -> list[str]:
    """``mali_aid._x`` written as an attribute of the package."""
    return [
        node.attr
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "mali_aid"
        and node.attr.startswith("_")
        and node.attr != "__version__"
    ]


def test_the_cli_package_has_modules() -> None:
    assert {"__init__.py", "_parser.py", "_commands.py"} <= {
        path.name for path in CLI.glob("*.py")
    }


def test_the_cli_imports_public_modules_and_names_only() -> None:
    wrong = []
    for path in sorted(CLI.glob("*.py")):
        for module, level, names in _imports(path):
            if level > 1 or (level == 0 and module.startswith("mali_aid._")):
                wrong.append((path.name, "." * level + module))
            elif level == 0 and module.startswith("mali_aid"):
                if module not in PUBLIC_MODULES:
                    wrong.append((path.name, module))
                elif module == "mali_aid":
                    wrong += [
                        (path.name, f"mali_aid.{name}")
                        for name in names
                        if name not in mali_aid.__all__
                        and f"mali_aid.{name}" not in PUBLIC_MODULES
                    ]
        wrong += [(path.name, f"mali_aid.{name}") for name in _private_attributes(path)]
    assert wrong == []


def test_the_check_sees_a_private_import(tmp_path: pathlib.Path) -> None:
    # The checks above find what they look for.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from .._dataset import _KINDS\nimport mali_aid._overlap\nmali_aid._gc\n",
        encoding="utf-8",
    )
    assert _imports(sample) == [
        ("_dataset", 2, ("_KINDS",)),
        ("mali_aid._overlap", 0, ()),
    ]
    assert _private_attributes(sample) == ["_gc"]


def test_ruff_bans_every_private_module_in_the_cli() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = settings["tool"]["ruff"]["lint"]
    banned = set(lint["flake8-tidy-imports"]["banned-api"])
    private = {
        ".".join(("mali_aid", *path.relative_to(PACKAGE).with_suffix("").parts))
        for path in PACKAGE.rglob("_*.py")
        if path.name != "__init__.py"
        and path.name != "__main__.py"
        and CLI not in path.parents
    }
    assert private
    missing = sorted(private - banned)
    assert missing == [], (
        "name these in [tool.ruff.lint.flake8-tidy-imports.banned-api]"
        f" of pyproject.toml: {', '.join(missing)}"
    )
    assert lint["per-file-ignores"]["!src/mali_aid/_cli/**"] == ["TID251"]
