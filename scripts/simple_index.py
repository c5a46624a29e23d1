"""Write a static package index (PEP 503) for a set of distribution files.

Used by ``.ci/run`` to install the built sdist and wheel the way PyPI users
will, with ``pip install --index-url``, from an index served on the loopback
address only::

    python scripts/simple_index.py OUT_DIR FILE_OR_DIR...

``OUT_DIR`` gets one directory per project (its normalised name), each with
the files and an ``index.html`` linking them with their SHA-256, and a root
``index.html`` listing the projects. Serve it with
``python -m http.server --bind 127.0.0.1 --directory OUT_DIR PORT``.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import sys
from pathlib import Path

_WHEEL = re.compile(r"^(?P<name>.+?)-\d[^-]*(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")
_SDIST = re.compile(r"^(?P<name>.+?)-\d[^-]*\.(tar\.gz|zip)$")


def project_of(filename: str) -> str:
    """The normalised project name of a distribution file (PEP 503)."""
    match = _WHEEL.match(filename) or _SDIST.match(filename)
    if match is None:
        raise SystemExit(f"simple_index: not a distribution file: {filename}")
    return re.sub(r"[-_.]+", "-", match["name"]).lower()


def page(title: str, links: list[tuple[str, str]]) -> str:
    anchors = "\n".join(
        f'<a href="{html.escape(href)}">{html.escape(text)}</a><br>'
        for href, text in links
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version"'
        f' content="1.0"><title>{html.escape(title)}</title></head>'
        f"<body>\n{anchors}\n</body></html>\n"
    )


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    out = Path(argv[0])
    files: list[Path] = []
    for given in map(Path, argv[1:]):
        files.extend(sorted(given.iterdir()) if given.is_dir() else [given])
    projects: dict[str, dict[str, Path]] = {}
    for file in files:
        if file.name.endswith((".whl", ".tar.gz", ".zip")):
            # The same file met twice (a wheel also in the wheelhouse) once.
            projects.setdefault(project_of(file.name), {}).setdefault(file.name, file)
    for project, members in projects.items():
        folder = out / project
        folder.mkdir(parents=True, exist_ok=True)
        links = []
        for file in members.values():
            shutil.copy2(file, folder / file.name)
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            links.append((f"{file.name}#sha256={digest}", file.name))
        (folder / "index.html").write_text(page(project, links), encoding="utf-8")
    root = [(f"{project}/", project) for project in sorted(projects)]
    (out / "index.html").write_text(page("Simple index", root), encoding="utf-8")
    print(f"simple_index: {len(projects)} projects, {len(files)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
