"""The ``mali-aid`` command line, on the command line's file world of
``tests/worlds.py`` (``CLI_WORLD``, written by the ``cli_dir`` fixture)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import mali_aid
from mali_aid._cli import main
from worlds import CLI_WORLD, write

SUMMARY_BODY = """\
Records
  sources        1
  organisations  5
  places         4
  sectors        1
  themes         1
  engagements    5
  events         0
  indicators     0
  statements     0

Donors (the root organisation of a funder)
  id  name            engagements                 known total  amount unknown
  --  --------------  -----------  --------------------------  --------------
  BE  Belgium                   3  at least EUR 50,500,000.00               2
  LU  Luxembourg                2   at least EUR 4,000,000.00               1
  -   unknown funder            1                     unknown               1
  known total: at least EUR 54,500,000.00 (kinds of amount: contribution, envelope)

Places by level
  country   1
  region    1
  district  1
  city      1

Coverage
  years                             2009..2024
  engagements with no known amount           3
"""

FACTS = {
    "records": {
        "sources": 1,
        "organisations": 5,
        "places": 4,
        "sectors": 1,
        "themes": 1,
        "engagements": 5,
        "events": 0,
        "indicators": 0,
        "statements": 0,
    },
    "donors": [
        {
            "id": "BE",
            "name": "Belgium",
            "engagements": 3,
            "known_total": {
                "amount": "50500000.00",
                "currency": "EUR",
                "low": "50500000.00",
                "high": None,
                "qualifier": "at-least",
                "basis": ["stated"],
                "unknown": ["e2", "e4"],
                "unconverted": [],
            },
            "amount_unknown": 2,
        },
        {
            "id": "LU",
            "name": "Luxembourg",
            "engagements": 2,
            "known_total": {
                "amount": "4000000.00",
                "currency": "EUR",
                "low": "4000000.00",
                "high": None,
                "qualifier": "at-least",
                "basis": ["stated"],
                "unknown": ["e4"],
                "unconverted": [],
            },
            "amount_unknown": 1,
        },
    ],
    "unknown_funder": {
        "engagements": 1,
        # Nothing known: an unknown total, never zero.
        "known_total": {
            "amount": None,
            "currency": "EUR",
            "low": "0.00",
            "high": None,
            "qualifier": None,
            "basis": [],
            "unknown": ["e5"],
            "unconverted": [],
        },
        "amount_unknown": 1,
    },
    "known_total": {
        "amount": "54500000.00",
        "currency": "EUR",
        "low": "54500000.00",
        "high": None,
        "qualifier": "at-least",
        "basis": ["stated"],
        "unknown": ["e2", "e4", "e5"],
        "unconverted": [],
        "kinds": ["contribution", "envelope"],
    },
    "not_converted": 0,
    "places_by_level": {"country": 1, "region": 1, "district": 1, "city": 1},
    "years": {"first": 2009, "last": 2024},
    "no_known_amount": 3,
}


class TestSummary:
    def test_text(self, cli_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["summary", "--data", str(cli_dir)]) == 0
        out, err = capsys.readouterr()
        assert out == f"Data: {cli_dir}\n\n" + SUMMARY_BODY
        assert err == ""

    def test_json(self, cli_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["summary", "--json", "--data", str(cli_dir)]) == 0
        out, _ = capsys.readouterr()
        assert json.loads(out) == {
            "data": {"bundled": None, "directory": str(cli_dir)},
            **FACTS,
        }

    def test_bundled_data(
        self, cli_bundled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["summary"]) == 0
        out, _ = capsys.readouterr()
        assert out == (
            f"Data: bundled release {mali_aid.DATA_VERSION}\n\n" + SUMMARY_BODY
        )

    def test_merge(
        self, cli_bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
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
        assert [(donor["id"], donor["engagements"]) for donor in facts["donors"]] == [
            ("BE", 3),
            ("LU", 3),
        ]
        assert facts["donors"][1]["amount_unknown"] == 2
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
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = cli_dir / "engagements.toml"
        path.write_text(
            path.read_text(encoding="utf-8")
            + '\n[[engagements]]\nid = "e6"\ntitle = "T"\nkind = "project"\n'
            'follows = "e0"\n',
            encoding="utf-8",
        )
        assert main(["summary", "--data", str(cli_dir)]) == 1
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
            ["totals", "--by", "donor,planet"],
            ["totals", "--by", "donor,donor"],
            ["totals", "--currency", "XYZ"],
            ["totals", "--currency", "MXN"],
            ["overlaps", "--on", "time,colour"],
            ["overlaps", "--min-days", "0"],
            ["engagements", "--year", "soon"],
            ["export"],
            ["timeline"],
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

    def test_no_command_prints_help_and_exits_2(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith("usage: mali-aid")
        for command in ("summary", "donors", "places", "sources", "import-iati"):
            assert f"    {command} " in err

    def test_no_command_through_the_entry_point(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "mali_aid"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2
        assert result.stderr.startswith("usage: mali-aid")

    def test_version_names_the_data_release(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["--version"])
        assert caught.value.code == 0
        assert capsys.readouterr().out == (
            f"mali-aid {mali_aid.__version__} (data {mali_aid.DATA_VERSION})\n"
        )


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, status: int = 0
) -> tuple[str, str]:
    assert main(list(argv)) == status
    captured = capsys.readouterr()
    return captured.out, captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: mali-aid")
    return err


def pairs_in_time(
    capsys: pytest.CaptureFixture[str], data: Path, *options: str
) -> set[tuple[str, str]]:
    """The pairs ``overlaps --on time`` finds in ``data``, as id pairs."""
    out, _ = run(
        capsys, "overlaps", "--json", "--data", str(data), "--on", "time", *options
    )
    return {(pair["first"], pair["second"]) for pair in json.loads(out)["pairs"]}


class TestNames:
    """Donors, places and sectors are named by id or by name."""

    @pytest.mark.parametrize("name", ["BE", "Belgium", "belgium", "be"])
    def test_donor_by_id_or_name(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        out, _ = run(
            capsys, "engagements", "--json", "--data", str(cli_dir), "--donor", name
        )
        assert [record["id"] for record in json.loads(out)] == ["e1", "e2", "e4"]

    def test_a_name_for_nested_places_takes_the_widest_with_a_note(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, err = run(
            capsys,
            "engagements",
            "--json",
            "--data",
            str(cli_dir),
            "--place",
            "Sikasso",
        )
        by_region, _ = run(
            capsys, "engagements", "--json", "--data", str(cli_dir), "--place", "ML-3"
        )
        assert out == by_region
        assert err == (
            "mali-aid: note: place 'Sikasso' taken as the widest, ML-3"
            " (also: sikasso-city)\n"
        )

    def test_an_unknown_name_suggests_close_ones(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(
            capsys, "engagements", "--data", str(cli_dir), "--donor", "Belgum"
        )
        assert (
            "no organisation is called 'Belgum'; did you mean BE (Belgium, state)?"
            in err
        )

    def test_an_unknown_channel_lists_the_channels(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(
            capsys, "engagements", "--data", str(cli_dir), "--channel", "postal"
        )
        assert "no channel is called 'postal'; the channels: bilateral," in err

    def test_sector_by_name(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys,
            "engagements",
            "--json",
            "--data",
            str(cli_dir),
            "--sector",
            "Rural development",
        )
        assert [record["id"] for record in json.loads(out)] == ["e1", "e3"]


class TestEngagements:
    def test_table(self, cli_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "engagements", "--data", str(cli_dir), "--place", "ML-3")
        assert out == (
            "id  donor  when       amount                      title\n"
            "--  -----  ---------  --------------------------  ------------\n"
            "e1  BE     2009/2014  EUR 50,500,000 envelope     Programme\n"
            "e3  LU     seen 2024  EUR 4,000,000 contribution  Contribution\n"
            "2 engagements\n"
        )

    def test_every_engagement_by_default_unknowns_shown_as_such(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "engagements", "--data", str(cli_dir))
        lines = out.splitlines()
        assert [line.split()[0] for line in lines[2:-1]] == [
            "e1",
            "e2",
            "e3",
            "e4",
            "e5",
        ]
        assert lines[-1] == "5 engagements"
        e5 = lines[6].split()
        assert e5[:4] == ["e5", "?", "-", "unknown"]

    def test_options_combine_values_of_one_option_add_up(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def ids(*options: str) -> list[str]:
            out, _ = run(
                capsys, "engagements", "--json", "--data", str(cli_dir), *options
            )
            return [record["id"] for record in json.loads(out)]

        assert ids("--donor", "LU") == ["e3", "e4"]
        assert ids("--year", "2024") == ["e3"]
        assert ids("--year", "2010", "--year", "2024") == ["e1", "e3"]
        assert ids("--donor", "LU", "--year", "2010") == []
        assert ids("--implementer", "LuxDev") == ["e3"]

    def test_nothing_found(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "engagements", "--data", str(cli_dir), "--year", "1990")
        assert out == "no engagements\n"

    def test_json_is_the_record_with_its_donors(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "engagements", "--json", "--data", str(cli_dir), "--donor", "LU"
        )
        records = json.loads(out)
        # Money in the one JSON form of every command: the amount as a
        # string, the currency apart.
        assert records[0]["amounts"] == [
            {"money": {"amount": "4000000", "currency": "EUR"}, "kind": "contribution"}
        ]
        # In the order of the funders: LuxDev (Luxembourg), then Belgium.
        assert records[1]["donors"] == ["LU", "BE"]


class TestTotals:
    def test_by_donor_and_year(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "totals", "--json", "--data", str(cli_dir), "--by", "donor,year"
        )
        result = json.loads(out)
        rows = {(row["donor"], row["year"]): row["amount"] for row in result["rows"]}
        # EUR 50.5 million over 2009-2014 (2,191 days), 2012 a leap year:
        # 50,500,000 x 366 / 2,191 = 8,435,874.03.
        assert rows[("BE", 2012)] == "8435874.03"
        known = {key: amount for key, amount in rows.items() if amount is not None}
        assert sorted(year for donor, year in known if donor == "BE") == list(
            range(2009, 2015)
        )
        assert sum(
            Decimal(amount) for (donor, _), amount in known.items() if donor == "BE"
        ) == Decimal("50500000.00")
        assert rows[("LU", 2024)] == "4000000.00"
        # e2 (Belgian Defence, from February 2013, no amount) leaves Belgium's
        # years it may fall in unknown, never zero.
        assert rows[("BE", None)] is None
        assert result["total"]["amount"] == "54500000.00"
        assert result["total"]["qualifier"] == "at-least"
        assert result["total"]["high"] is None
        assert result["unknown"] == ["e2", "e4", "e5"]
        assert result["kinds"] == ["contribution", "envelope"]
        assert result["rates"] is None

    def test_table(self, cli_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "totals", "--data", str(cli_dir))
        assert out == (
            "donor      name         amount (EUR)  qualifier  bounds                     basis\n"
            "---------  ----------  -------------  ---------  -------------------------  -----\n"
            "BE         Belgium     50,500,000.00  at-least   50,500,000.00 to no limit\n"
            "LU         Luxembourg   4,000,000.00  at-least   4,000,000.00 to no limit\n"
            "(unknown)                    unknown             0.00 to no limit\n"
            "---------  ----------  -------------  ---------  -------------------------  -----\n"
            "total                  54,500,000.00  at-least   54,500,000.00 to no limit\n"
            "amount unknown (no upper bound): e2, e4, e5\n"
            "kinds of amount: contribution, envelope\n"
        )

    def test_kind_and_currency(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys,
            "totals",
            "--json",
            "--data",
            str(cli_dir),
            "--kind",
            "contribution",
            "--currency",
            "usd",
        )
        result = json.loads(out)
        assert result["currency"] == "USD"
        # Belgium's envelope is not a contribution: by that kind it is unknown.
        assert [row["donor"] for row in result["rows"]] == ["BE", "LU", None]
        assert result["rows"][0]["amount"] is None
        assert result["kinds"] == ["contribution"]
        assert "European Central Bank" in result["rates"]
        # 2024's mean rate lies between 1.0 and 1.2 dollars a euro.
        assert (
            Decimal(4_000_000) < Decimal(result["total"]["amount"]) < Decimal(4_800_000)
        )

    def test_places_rolled_up_to_regions(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys,
            "totals",
            "--json",
            "--data",
            str(cli_dir),
            "--by",
            "place",
            "--level",
            "region",
        )
        rows = {row["place"]: row["amount"] for row in json.loads(out)["rows"]}
        assert rows == {"ML-3": "54500000.00", None: None}

    def test_level_needs_place(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(capsys, "totals", "--data", str(cli_dir), "--level", "region")
        assert "--level needs --by place" in err


class TestOverlaps:
    def test_in_place_and_sector(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "overlaps", "--data", str(cli_dir), "--on", "place,sector")
        assert out == (
            "first  second  places        sectors\n"
            "-----  ------  ------------  -------\n"
            "e1     e3      sikasso-city  rural\n"
            "1 overlapping pair\n"
        )

    def test_in_time_only_the_time_columns(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "overlaps", "--data", str(cli_dir), "--on", "time", "--all-pairs"
        )
        assert out.splitlines()[:3] == [
            "first  second  shared period          days",
            "-----  ------  ---------------------  ----",
            "e1     e2      2013-02-01/2013-02-28    28",
        ]

    def test_in_time_too_none_and_the_undated_listed(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "overlaps", "--data", str(cli_dir))
        assert out == ("no overlapping pairs\nundated, so not compared in time: e5\n")

    def test_json_in_time(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys,
            "overlaps",
            "--json",
            "--data",
            str(cli_dir),
            "--on",
            "time",
            "--all-pairs",
        )
        result = json.loads(out)
        assert result["on"] == ["time"]
        assert result["between"] == "all"
        # e2 began in February 2013 and its end is unknown, so February 2013
        # is all it certainly covers; e4's start is unknown, so it certainly
        # covers 2019 alone, which nothing else reaches.
        assert result["pairs"] == [
            {
                "first": "e1",
                "second": "e2",
                "donors": [["BE"], ["BE"]],
                "period": "2013-02-01/2013-02-28",
                "days": 28,
                "time_basis": ["period", "period"],
                "places": [],
                "sectors": [],
            }
        ]
        assert result["undated"] == ["e5"]

    def test_all_pairs_and_min_days(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def pairs(*options: str) -> set[tuple[str, str]]:
            return pairs_in_time(capsys, cli_dir, *options)

        # e1 and e2 share Belgium as their donor.
        assert ("e1", "e2") not in pairs()
        assert ("e1", "e2") in pairs("--all-pairs")
        # e1 and e2 certainly share February 2013: 28 days.
        assert ("e1", "e2") in pairs("--all-pairs", "--min-days", "28")
        assert ("e1", "e2") not in pairs("--all-pairs", "--min-days", "29")


class TestCompare:
    def test_two_donors_side_by_side(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "compare", "--data", str(cli_dir), "Belgium", "LU")
        lines = out.splitlines()
        assert lines[0].split() == ["donor", "BE", "LU"]
        # Names beside the ids.
        assert lines[2].split() == ["name", "Belgium", "Luxembourg"]
        # Each has an engagement of unknown amount: both totals are lower bounds.
        assert (
            "known total        at least EUR 50,500,000.00  at least EUR 4,000,000.00"
            in lines
        )
        assert "shared sectors: rural" in lines

    def test_per_year_divides_by_the_years_shown(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "compare", "--data", str(cli_dir), "BE", "LU")
        lines = {line.split("  ")[0]: line for line in out.splitlines()}
        # Belgium: 2009-2019 shown (e1 2009/2014, e2 from 2013-02, e4 to
        # 2019), eleven years: EUR 50,500,000.00 / 11, rounded to the cent.
        assert lines["years"].split()[1:] == ["2009-2019", "2019-2024"]
        assert "at least EUR 4,590,909.09" in lines["per year"]
        # Luxembourg: 2019 (e4) to 2024 (e3), six years: 4,000,000.00 / 6.
        assert lines["per year"].endswith("at least EUR 666,666.67")
        result = json.loads(
            run(capsys, "compare", "--json", "--data", str(cli_dir), "BE", "LU")[0]
        )
        assert result["a"]["per_year"]["amount"] == "4590909.09"
        assert result["a"]["per_year"]["years"] == 11
        assert result["a"]["per_year"]["high"] is None
        assert result["a"]["name"] == "Belgium"

    def test_json(self, cli_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "compare", "--json", "--data", str(cli_dir), "LU", "BE")
        result = json.loads(out)
        assert result["a"]["donor"] == "LU"
        assert result["b"]["donor"] == "BE"
        assert result["a"]["engagements"] == ["e3", "e4"]

    def test_several_donors_give_the_similarity_matrix(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "compare", "--json", "--data", str(cli_dir), "BE", "LU", "fcm"
        )
        result = json.loads(out)
        assert result["donors"] == ["BE", "LU", "fcm"]
        matrix = result["similarity"]
        assert [matrix[i][i] for i in range(3)] == ["1", "1", "1"]
        assert matrix[0][1] == matrix[1][0]

    def test_one_donor_is_a_usage_error(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(capsys, "compare", "--data", str(cli_dir), "BE")
        assert "name at least two different donors" in err
        # The same donor twice, by id and by name, is still one donor.
        err = usage_error(capsys, "compare", "--data", str(cli_dir), "BE", "Belgium")
        assert "name at least two different donors" in err


def test_python_dash_m(cli_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mali_aid", "totals", "--data", str(cli_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[2].split()[:4] == [
        "BE",
        "Belgium",
        "50,500,000.00",
        "at-least",
    ]


class TestExport:
    def test_csv_to_a_file(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out_file = tmp_path / "engagements.csv"
        out, err = run(capsys, "export", "--data", str(cli_dir), "--out", str(out_file))
        assert out == ""
        assert err == f"wrote 5 rows of engagements to {out_file}\n"
        with out_file.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [row["id"] for row in rows] == ["e1", "e2", "e3", "e4", "e5"]
        assert Decimal(rows[0]["amount"]) == Decimal(50_500_000)
        assert rows[0]["currency"] == "EUR"
        # Unknown is an empty cell, never 0.
        assert rows[1]["amount"] == ""

    def test_years_as_json_on_standard_output(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys,
            "export",
            "--data",
            str(cli_dir),
            "--table",
            "years",
            "--format",
            "json",
            "--out",
            "-",
            "--donor",
            "BE",
        )
        rows = json.loads(out)
        e1 = [row for row in rows if row["engagement_id"] == "e1"]
        assert [row["year"] for row in e1] == list(range(2009, 2015))
        assert sum(Decimal(row["amount"]) for row in e1) == Decimal("50500000.00")
        assert {row["engagement_id"] for row in rows} == {"e1", "e2", "e4"}

    def test_participants_and_the_json_report(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out_file = tmp_path / "participants.json"
        out, _ = run(
            capsys,
            "export",
            "--json",
            "--data",
            str(cli_dir),
            "--table",
            "participants",
            "--out",
            str(out_file),
        )
        assert json.loads(out) == {
            "path": str(out_file),
            "format": "json",
            "table": "participants",
            "rows": 7,
        }
        rows = json.loads(out_file.read_text(encoding="utf-8"))
        assert len(rows) == 7
        assert [
            (row["organisation_id"], row["role"])
            for row in rows
            if row["engagement_id"] == "e4"
        ] == [("luxdev", "funding"), ("BE", "funding")]

    def test_parquet(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        parquet = pytest.importorskip("pyarrow.parquet")
        out_file = tmp_path / "years.parquet"
        run(
            capsys,
            "export",
            "--data",
            str(cli_dir),
            "--table",
            "years",
            "--out",
            str(out_file),
        )
        table = parquet.read_table(out_file)
        assert table.column("engagement_id").to_pylist().count("e1") == 6

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--out", "table.txt"], "--format json|csv|parquet is needed"),
            (["--format", "parquet", "--out", "-"], "parquet cannot go to standard"),
        ],
    )
    def test_usage_errors(
        self,
        cli_dir: Path,
        capsys: pytest.CaptureFixture[str],
        options: list[str],
        message: str,
    ) -> None:
        err = usage_error(capsys, "export", "--data", str(cli_dir), *options)
        assert message in err

    def test_without_pyarrow_the_message_names_the_extra(
        self, cli_dir: Path, tmp_path: Path
    ) -> None:
        code = (
            "import sys; sys.modules['pyarrow'] = None\n"
            "from mali_aid._cli import main\n"
            f"sys.exit(main(['export', '--data', {str(cli_dir)!r},"
            f" '--out', {str(tmp_path / 'x.parquet')!r}]))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("mali-aid: error: ")
        assert "pip install 'mali-aid[arrow]'" in result.stderr


class TestTimeline:
    def test_svg(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        pytest.importorskip("matplotlib")
        out_file = tmp_path / "timeline.svg"
        _, err = run(
            capsys,
            "timeline",
            "--data",
            str(cli_dir),
            "--out",
            str(out_file),
            "--donor",
            "LU",
        )
        assert err == f"drew 2 engagements to {out_file}\n"
        text = out_file.read_text(encoding="utf-8")
        assert "<svg" in text
        # Each drawn element carries its engagement's id.
        assert "--e3" in text
        assert "--e1" not in text

    def test_png_and_json_report(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        pytest.importorskip("matplotlib")
        out_file = tmp_path / "timeline.png"
        out, _ = run(
            capsys,
            "timeline",
            "--json",
            "--data",
            str(cli_dir),
            "--out",
            str(out_file),
        )
        assert json.loads(out) == {"path": str(out_file), "engagements": 5}
        assert out_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    def test_an_unknown_image_format_is_a_usage_error(
        self, cli_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        pytest.importorskip("matplotlib")
        err = usage_error(
            capsys,
            "timeline",
            "--data",
            str(cli_dir),
            "--out",
            str(tmp_path / "chart.doc"),
        )
        assert "--out must end in .svg, .png or .pdf" in err
        assert not (tmp_path / "chart.doc").exists()
        # Without a suffix nothing is written under another name either.
        err = usage_error(
            capsys, "timeline", "--data", str(cli_dir), "--out", str(tmp_path / "t")
        )
        assert "--out must end in .svg, .png or .pdf" in err
        assert list(tmp_path.iterdir()) == [cli_dir]

    def test_without_matplotlib_the_message_names_the_extra(
        self, cli_dir: Path, tmp_path: Path
    ) -> None:
        code = (
            "import sys; sys.modules['matplotlib'] = None\n"
            "from mali_aid._cli import main\n"
            f"sys.exit(main(['timeline', '--data', {str(cli_dir)!r},"
            f" '--out', {str(tmp_path / 'x.svg')!r}]))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 1
        assert len(result.stderr.splitlines()) == 1
        assert "pip install 'mali-aid[plot]'" in result.stderr
        assert not (tmp_path / "x.svg").exists()


class TestReviewedEdges:
    def test_totals_for_a_year_count_only_that_years_slices(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "totals", "--json", "--data", str(cli_dir), "--year", "2012"
        )
        result = json.loads(out)
        assert result["by"] == ["donor", "year"]
        assert result["years"] == [2012]
        # e1's EUR 50.5 million over 2009-2014: 2012's 366 of 2,191 days.
        slice_2012 = {
            "amount": "8435874.03",
            "currency": "EUR",
            "low": "8435874.03",
            "high": "8435874.03",
            "qualifier": "exact",
            "basis": ["spread-by-days", "stated"],
            "unknown": [],
            "unconverted": [],
        }
        assert result["rows"] == [{"donor": "BE", "year": 2012, **slice_2012}]
        assert result["total"] == slice_2012
        text, _ = run(capsys, "totals", "--data", str(cli_dir), "--year", "2012")
        assert "only the slices of amounts that fall in 2012" in text
        assert re.search(r"^total +8,435,874\.03", text, re.MULTILINE)

    def test_overlaps_between_two_named_donors_leave_out_pairs_within_one(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        files = dict(CLI_WORLD)
        files["engagements.toml"] = """
            [[engagements]]
            id = "be-1"
            title = "Belgian"
            kind = "project"
            participants = [{ organisation = "BE", role = "funding" }]
            period = "2010/2012"

            [[engagements]]
            id = "lu-1"
            title = "Luxembourg alone"
            kind = "project"
            participants = [{ organisation = "LU", role = "funding" }]
            period = "2011/2013"

            [[engagements]]
            id = "lu-fcm"
            title = "Luxembourg with FCM"
            kind = "project"
            participants = [
                { organisation = "LU", role = "funding" },
                { organisation = "fcm", role = "funding" },
            ]
            period = "2011/2013"
            """
        data = write(tmp_path / "pairs", files)

        def pairs(*options: str) -> set[tuple[str, str]]:
            return pairs_in_time(capsys, data, *options)

        # Different sets of donors: lu-1 ({LU}) and lu-fcm ({LU, fcm}) too.
        assert pairs() == {("be-1", "lu-1"), ("be-1", "lu-fcm"), ("lu-1", "lu-fcm")}
        # Between Belgium and Luxembourg: not Luxembourg with itself.
        assert pairs("--donor", "BE", "--donor", "LU") == {
            ("be-1", "lu-1"),
            ("be-1", "lu-fcm"),
        }

    def test_compare_shows_an_unknown_total_as_unknown(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "compare", "--data", str(cli_dir), "BE", "fcm")
        known = next(
            line for line in out.splitlines() if line.startswith("known total")
        )
        assert known.split()[2:] == ["at", "least", "EUR", "50,500,000.00", "-"]

    def test_currencies_without_bundled_rates_are_refused(
        self, cli_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(capsys, "totals", "--data", str(cli_dir), "--currency", "mxn")
        assert "the bundled exchange rates convert only CAD, CHF, EUR, GBP" in err

    def test_amounts_with_no_rate_are_named_not_zero(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        files = dict(CLI_WORLD)
        files["engagements.toml"] = """
            [[engagements]]
            id = "pesos"
            title = "Paid in pesos"
            kind = "project"
            participants = [{ organisation = "BE", role = "funding" }]
            period = "2020"
            amounts = [{ money = "1000 MXN", kind = "budget" }]
            """
        data = write(tmp_path / "pesos", files)
        out, _ = run(capsys, "totals", "--data", str(data))
        assert "not converted to EUR (no rate for a year or date): pesos" in out
        assert "rates: no conversion needed" not in out
        summary, _ = run(capsys, "summary", "--json", "--data", str(data))
        facts = json.loads(summary)
        assert facts["donors"][0]["known_total"]["amount"] is None
        assert facts["donors"][0]["known_total"]["unconverted"] == ["pesos"]
        assert facts["donors"][0]["amount_unknown"] == 1
        assert facts["not_converted"] == 1


def test_a_period_known_only_by_its_length_reads_as_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(CLI_WORLD)
    files["engagements.toml"] = """
        [[engagements]]
        id = "long"
        title = "Long-standing cooperation"
        kind = "programme"
        participants = [{ organisation = "BE", role = "funding" }]
        period = "P20Y~"
        """
    data = write(tmp_path / "long", files)
    out, _ = run(capsys, "engagements", "--data", str(data))
    row = [cell.strip() for cell in out.splitlines()[2].split("  ") if cell.strip()]
    assert row[:4] == ["long", "BE", "about 20 years, dates unknown", "unknown"]
