"""Sphinx configuration of the mali-aid documentation site.

Build it with ``sphinx-build -W --keep-going -b html docs <outdir>``: any
warning fails the build. The site needs no network: there is no intersphinx
inventory to fetch.
"""

from __future__ import annotations

import enum
import re
import sys
from importlib import metadata
from typing import Any

import attrs
from sphinx.application import Sphinx
from sphinx.util.docstrings import prepare_docstring

_distribution = metadata.metadata("mali-aid")

# -- Project ------------------------------------------------------------------

project = _distribution["Name"]
author = _distribution["Author"]
copyright = author
release = metadata.version("mali-aid")
version = ".".join(release.split(".")[:2])

# -- General ------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", ".DS_Store", "Thumbs.db"]

myst_enable_extensions = ["colon_fence", "deflist"]

# Every cross-reference must resolve, except those to what lives outside the
# package: the build runs offline, without intersphinx, so the standard
# library and the other packages have no pages to link to.
nitpicky = True
_ELSEWHERE = sorted(
    {
        *sys.stdlib_module_names,
        *("attr", "attrs", "cattrs", "defusedxml", "hypothesis", "st", "pint"),
        *("matplotlib", "numpy", "pandas", "pyarrow"),
    }
)
nitpick_ignore_regex = [
    ("py:mod", "|".join(_ELSEWHERE)),
    ("py:.*", rf"(?:{'|'.join(_ELSEWHERE)})\..+"),
    # Annotations name these bare (``from __future__ import annotations``).
    ("py:class", r"date|datetime|Decimal|Figure|Fraction|Path"),
    # Type variables and type aliases of the private modules.
    ("py:class", r"mali_aid\._\w+\._?T|Dimension|Key"),
]

# -- API reference ------------------------------------------------------------

# The docstrings are reStructuredText with doctest examples; no Google or
# NumPy sections, so no napoleon.
autodoc_member_order = "bysource"
# Defaults as the source writes them (``DEFAULT_CURRENCIES``), not as a long
# repr of their value.
autodoc_preserve_defaults = True
# One parameter a line once a signature grows past this.
python_maximum_signature_line_length = 80

# -- HTML ---------------------------------------------------------------------

html_theme = "furo"
html_title = f"{project} {release}"
# The timeline chart is shown at its own size (docs/timeline.md).
html_static_path = ["_static"]
html_css_files = ["timeline.css"]

# -- Signatures of attrs classes ----------------------------------------------

_MODULE_PREFIX = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*)")


def _type_text(annotation: object) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    # ``datetime.date | None`` and ``mali_aid._period.Precision`` read as
    # ``date | None`` and ``Precision``, the names users see.
    return _MODULE_PREFIX.sub("", str(annotation))


def _default_text(field: attrs.Attribute[Any]) -> str:
    default = field.default
    if isinstance(default, attrs.Factory):
        if default.takes_self or default.factory not in {tuple, dict, frozenset}:
            return "..."
        default = default.factory()
    if isinstance(default, enum.Enum):
        return f"{type(default).__name__}.{default.name}"
    return repr(default)


def _attrs_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    """Give a record the signature of its fields.

    attrs writes ``__init__`` for the records: its defaults read ``NOTHING``
    where a field has a factory, and its annotations are those of the
    converters (``Iterable[Any]``, or none for an enumeration). The signature
    shown keeps an annotation of ``__init__`` that says more than "anything",
    takes the field's type otherwise, and shows a factory's empty value.
    """
    if what != "class" or not attrs.has(obj):
        return None
    given = getattr(obj.__init__, "__annotations__", {})
    positional: list[str] = []
    keyword: list[str] = []
    for field in attrs.fields(obj):
        if not field.init:
            continue
        annotation = given.get(field.alias)
        if annotation is None or "Any" in str(annotation) or annotation == "object":
            annotation = field.type
        text = field.alias
        if annotation is not None:
            text += f": {_type_text(annotation)}"
        if field.default is not attrs.NOTHING:
            text += f" = {_default_text(field)}"
        (keyword if field.kw_only else positional).append(text)
    parameters = [*positional, *(["*", *keyword] if keyword else [])]
    return f"({', '.join(parameters)})", return_annotation


def _drop_docstring_of_the_type(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """A constant without a doc comment shows no docstring, not ``str``'s."""
    own = type(obj).__doc__
    if what == "data" and own and _text(lines) == _text(prepare_docstring(own)):
        lines.clear()


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-signature", _attrs_signature)
    app.connect("autodoc-process-docstring", _drop_docstring_of_the_type)
