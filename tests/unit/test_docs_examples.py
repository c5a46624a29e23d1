"""The ``pycon`` examples in the README and the Markdown docs run as written."""

from __future__ import annotations

import doctest
import pathlib
import re
import shlex

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


# Shell sessions: in a ``console`` block, a line starting "$ mali-aid" is a
# command and the lines up to the next "$ " line are its standard output.
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _sessions(page: pathlib.Path) -> list[tuple[str, str]]:
    sessions: list[tuple[str, str]] = []
    for block in CONSOLE.findall(page.read_text(encoding="utf-8")):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.MULTILINE):
            if chunk.startswith("$ mali-aid "):
                command, _, output = chunk.partition("\n")
                sessions.append((command[2:], output))
    return sessions


SHELL_PAGES = (
    sorted(page for page in DOCS.glob("*.md") if _sessions(page))
    if DOCS.is_dir()
    else []
)


@pytest.mark.skipif(not SHELL_PAGES, reason="the docs folder is not beside the tests")
@pytest.mark.parametrize("page", SHELL_PAGES, ids=lambda page: page.name)
def test_shell_examples(
    page: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pathlib.Path,
) -> None:
    from mali_aid._cli import main

    monkeypatch.chdir(tmp_path)  # files an example writes land here
    for command, expected in _sessions(page):
        status = main(shlex.split(command)[1:])
        assert (command, status) == (command, 0)
        assert (command, capsys.readouterr().out) == (command, expected)


@pytest.mark.skipif(not DOCS.is_dir(), reason="the docs folder is not beside the tests")
def test_the_data_page_counts_the_records_the_data_holds() -> None:
    import mali_aid

    data = mali_aid.load()
    rows = re.findall(
        r"^\| (\w+) \| `\w+\.toml` \| (\d+) \|$",
        (DOCS / "data.md").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert len(rows) == 9
    assert {kind: int(count) for kind, count in rows} == {
        kind: len(getattr(data, kind)) for kind, _ in rows
    }


# Commands shown without their output, in ``shell`` blocks: each
# "mali-aid ..." line runs, from an empty directory, and must succeed.
SHELL = re.compile(r"^```shell\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _commands(page: pathlib.Path) -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for block in SHELL.findall(page.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if line.startswith("mali-aid ")
    ]


COMMAND_PAGES = (
    sorted(page for page in [README, *DOCS.glob("*.md")] if _commands(page))
    if DOCS.is_dir()
    else []
)


@pytest.mark.skipif(not COMMAND_PAGES, reason="the docs folder is not beside the tests")
@pytest.mark.parametrize("page", COMMAND_PAGES, ids=lambda page: page.name)
def test_shell_commands_succeed(
    page: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pathlib.Path,
) -> None:
    from mali_aid._cli import main

    monkeypatch.chdir(tmp_path)
    for command in _commands(page):
        assert (command, main(shlex.split(command)[1:])) == (command, 0)
        capsys.readouterr()


# The README as PyPI shows it: the commands that work from a clone come
# first, links work away from the repository, the project's URLs are set.
CI_SCRIPT = DOCS.parent / ".ci" / "run"
PYPROJECT = DOCS.parent / "pyproject.toml"


def _first_block(page: pathlib.Path) -> list[str]:
    block = CONSOLE.search(page.read_text(encoding="utf-8"))
    assert block is not None
    return block.group(1).splitlines()


@pytest.mark.skipif(not README.is_file(), reason="the README is not beside the tests")
def test_the_readme_opens_with_install_and_run_then_the_tests() -> None:
    install, tests = _first_block(README)[:2]
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install -e .")
    assert install.endswith(" && .venv/bin/mali-aid summary")
    assert tests.endswith(".venv/bin/python -m pytest --cov")
    text = README.read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in text


@pytest.mark.skipif(not CI_SCRIPT.is_file(), reason="no .ci/run beside the tests")
def test_the_readme_runs_the_tests_as_ci_does() -> None:
    tests = _first_block(README)[1]
    command = tests.rsplit(".venv/bin/", 1)[1]
    assert command == "python -m pytest --cov"
    assert f"\n{command}\n" in CI_SCRIPT.read_text(encoding="utf-8")


@pytest.mark.skipif(not README.is_file(), reason="the README is not beside the tests")
def test_the_readme_links_are_absolute() -> None:
    links = re.findall(r"\]\(([^)]*)\)", README.read_text(encoding="utf-8"))
    assert links
    assert [link for link in links if not link.startswith("https://")] == []


@pytest.mark.skipif(
    not PYPROJECT.is_file(), reason="no pyproject.toml beside the tests"
)
def test_the_project_urls() -> None:
    import tomllib

    urls = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["urls"]
    assert set(urls) == {"Documentation", "Changelog", "Source", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())
