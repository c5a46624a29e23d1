"""The ``pycon`` examples in the README and the Markdown docs run as written."""

from __future__ import annotations

import doctest
import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```pycon\n(.*?)^```", re.MULTILINE | re.DOTALL)
README = DOCS.parent / "README.md"
PAGES = (
    sorted(
        page
        for page in [README, *DOCS.glob("*.md")]
        if page.is_file() and "```pycon" in page.read_text("utf-8")
    )
    if DOCS.is_dir()
    else []
)


@pytest.mark.skipif(not PAGES, reason="the docs folder is not beside the tests")
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_examples(page: pathlib.Path) -> None:
    # The blocks of a page run in order in one namespace, as in one session.
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    assert blocks, f"{page.name} has no pycon example"
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n".join(blocks), {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) failed in {page.name}"
