"""The ``mali-aid`` command line, on a small data directory written here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mali_aid
from mali_aid import _dataset
from mali_aid._cli import main

FILES = {
    "sources.toml": """
        [[sources]]
        id = "report"
        title = "Report"
        publisher = "Ministry"
        language = "en"
        paragraphs = 5
        """,
    "organisations.toml": """
        [[organisations]]
        id = "BE"
        name = "Belgium"
        kind = "state"

        [[organisations]]
        id = "be-defence"
        name = "Belgian Defence"
        kind = "armed-forces"
        parent = "BE"

        [[organisations]]
        id = "LU"
        name = "Luxembourg"
        kind = "state"

        [[organisations]]
        id = "luxdev"
        name = "LuxDev"
        kind = "agency"
        parent = "LU"

        [[organisations]]
        id = "fcm"
        name = "Federation of Canadian Municipalities"
        kind = "municipal-association"
        """,
    "places.toml": """
        [[places]]
        id = "ML"
        name = "Mali"
        level = "country"

        [[places]]
        id = "ML-3"
        name = "Sikasso"
        level = "region"
        parent = "ML"

        [[places]]
        id = "sikasso-city"
        name = "Sikasso"
        level = "city"
        parent = "ML-3"

        [[places]]
        id = "ML-BKO"
        name = "Bamako"
        level = "district"
        parent = "ML"
        """,
    "themes.toml": """
        [[themes]]
        id = "gender"
        name = "Gender"
        """,
    "engagements.toml": """
        [[engagements]]
        id = "e1"
        title = "Programme"
        kind = "programme"
        participants = [{ organisation = "BE", role = "funding" }]
        period = "2009/2014"
        amounts = [{ money = "50500000 EUR", kind = "envelope" }]

        [[engagements]]
        id = "e2"
        title = "Deployment"
        kind = "deployment"
        participants = [{ organisation = "be-defence", role = "funding" }]
        period = "2013-02/.."

        [[engagements]]
        id = "e3"
        title = "Contribution"
        kind = "contribution"
        participants = [
            { organisation = "LU", role = "funding" },
            { organisation = "luxdev", role = "implementing" },
        ]
        active_in = [2024]
        amounts = [{ money = "4000000 EUR", kind = "contribution" }]

        [[engagements]]
        id = "e4"
        title = "Joint project"
        kind = "project"
        participants = [
            { organisation = "luxdev", role = "funding" },
            { organisation = "BE", role = "funding" },
        ]
        period = "../2019"

        [[engagements]]
        id = "e5"
        title = "Municipal programme"
        kind = "programme"
        participants = [{ organisation = "fcm", role = "implementing" }]
        """,
}

SUMMARY_BODY = """\
Records
  sources                                    1
  organisations                              5
  places                                     4
  sectors                                    0
  themes                                     1
  engagements                                5
  events                                     0
  indicators                                 0

Engagements by donor (the root organisation of a funder)
  BE  Belgium                                3
  LU  Luxembourg                             2
  unknown funder                             1

Places by level
  country                                    1
  region                                     1
  district                                   1
  city                                       1

Coverage
  years                             2009..2024
  engagements with no known amount           3
"""

FACTS = {
    "records": {
        "sources": 1,
        "organisations": 5,
        "places": 4,
        "sectors": 0,
        "themes": 1,
        "engagements": 5,
        "events": 0,
        "indicators": 0,
    },
    "donors": [
        {"id": "BE", "name": "Belgium", "engagements": 3},
        {"id": "LU", "name": "Luxembourg", "engagements": 2},
    ],
    "unknown_funder": 1,
    "places_by_level": {"country": 1, "region": 1, "district": 1, "city": 1},
    "years": {"first": 2009, "last": 2024},
    "no_known_amount": 3,
}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "data", FILES)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the loader take a directory of ours for the bundled data."""
    directory = write(tmp_path / "bundled", FILES)
    monkeypatch.setattr(_dataset, "_bundled_root", lambda: directory)
    monkeypatch.setattr(_dataset, "_bundled", None)
    return directory


class TestSummary:
    def test_text(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["summary", "--data", str(data_dir)]) == 0
        out, err = capsys.readouterr()
        assert out == f"Data: {data_dir}\n\n" + SUMMARY_BODY
        assert err == ""

    def test_json(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["summary", "--json", "--data", str(data_dir)]) == 0
        out, _ = capsys.readouterr()
        assert json.loads(out) == {
            "data": {"bundled": None, "directory": str(data_dir)},
            **FACTS,
        }

    def test_bundled_data(
        self, bundled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["summary"]) == 0
        out, _ = capsys.readouterr()
        assert out == (
            f"Data: bundled release {mali_aid.DATA_VERSION}\n\n" + SUMMARY_BODY
        )

    def test_merge(
        self, bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        user = write(
            tmp_path / "user",
            {
                "engagements.toml": """
                [[engagements]]
                id = "mine"
                title = "My record"
                kind = "project"
                participants = [{ organisation = "LU", role = "funding" }]
                active_in = [2025]
                """
            },
        )
        assert main(["summary", "--json", "--data", str(user), "--merge"]) == 0
        facts = json.loads(capsys.readouterr().out)
        assert facts["data"] == {
            "bundled": mali_aid.DATA_VERSION,
            "directory": str(user),
        }
        assert facts["records"]["engagements"] == 6
        assert facts["donors"] == [
            {"id": "BE", "name": "Belgium", "engagements": 3},
            {"id": "LU", "name": "Luxembourg", "engagements": 3},
        ]
        assert facts["years"] == {"first": 2009, "last": 2025}
        assert facts["no_known_amount"] == 4
        assert main(["summary", "--data", str(user), "--merge"]) == 0
        first_line = capsys.readouterr().out.splitlines()[0]
        assert first_line == (f"Data: bundled release {mali_aid.DATA_VERSION} + {user}")

    def test_empty_data(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["summary", "--data", str(tmp_path)]) == 0
        out, _ = capsys.readouterr()
        assert out.endswith(
            "Coverage\n"
            "  years" + " " * 29 + "unknown\n"
            "  engagements with no known amount" + " " * 8 + "0\n"
        )
        assert main(["summary", "--json", "--data", str(tmp_path)]) == 0
        facts = json.loads(capsys.readouterr().out)
        assert facts["years"] is None
        assert facts["donors"] == []
        assert facts["places_by_level"] == {}


class TestExitStatus:
    def test_bad_data_gives_one_line_and_status_1(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = data_dir / "engagements.toml"
        path.write_text(
            path.read_text(encoding="utf-8")
            + '\n[[engagements]]\nid = "e6"\ntitle = "T"\nkind = "project"\n'
            'follows = "e0"\n',
            encoding="utf-8",
        )
        assert main(["summary", "--data", str(data_dir)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err == (
            f"mali-aid: error: file {path}, record 'e6', field follows:"
            " no engagement has the id 'e0'\n"
        )

    def test_in_a_process_no_traceback(self, tmp_path: Path) -> None:
        write(tmp_path, {"themes.toml": "[[themes]]\nid = \n"})
        result = subprocess.run(
            [sys.executable, "-m", "mali_aid", "summary", "--data", str(tmp_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith(
            f"mali-aid: error: file {tmp_path / 'themes.toml'}: not valid TOML"
        )

    def test_a_missing_directory(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["summary", "--data", str(tmp_path / "nowhere")]) == 1
        assert capsys.readouterr().err == (
            f"mali-aid: error: file {tmp_path / 'nowhere'}: not a directory\n"
        )

    @pytest.mark.parametrize(
        "argv",
        [
            ["summary", "--merge"],
            ["summary", "--bogus"],
            ["totals"],
            ["summary", "--data"],
        ],
    )
    def test_usage_errors_give_status_2(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        assert capsys.readouterr().err.startswith("usage: mali-aid")

    def test_merge_without_data_says_so(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit):
            main(["summary", "--merge"])
        assert "--merge needs --data DIR" in capsys.readouterr().err

    def test_no_command_prints_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([]) == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: mali-aid")
        assert "summary" in out

    def test_version_names_the_data_release(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["--version"])
        assert caught.value.code == 0
        assert capsys.readouterr().out == (
            f"mali-aid {mali_aid.__version__} (data {mali_aid.DATA_VERSION})\n"
        )
