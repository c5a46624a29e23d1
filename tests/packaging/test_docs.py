"""The documentation site builds without a single warning."""

from __future__ import annotations

import pathlib

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.skipif(
    not (DOCS / "conf.py").is_file(), reason="the docs folder is not beside the tests"
)
# Deprecations raised inside Sphinx and its extensions (myst-parser still
# reaches for BuildEnvironment.app) are theirs to fix; sphinx-build does not
# show them either. Sphinx's own warnings fail the build through -W.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_the_site_builds_with_warnings_as_errors(tmp_path: pathlib.Path) -> None:
    from sphinx.cmd.build import build_main

    # As CI and Read the Docs build it: any warning fails the build, and
    # --keep-going reports every warning before failing.
    status = build_main(["-W", "--keep-going", "-b", "html", str(DOCS), str(tmp_path)])
    assert status == 0
    assert (tmp_path / "index.html").is_file()
