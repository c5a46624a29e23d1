"""The listing commands, totals as CSV, import-iati, and the library calls
behind them (browse, summarise, save, Totals.to_table and to_pandas)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import mali_aid
from mali_aid import Dataset, Engagement, Organisation, Participant, Period
from mali_aid._cli import main
from mali_aid.errors import DataError, UnknownIdError

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "iati"
    / "activity-standard-example-annotated.xml"
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
    return capsys.readouterr().err


def entry_point(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mali_aid", *argv],
        capture_output=True,
        text=True,
        check=False,
    )


class TestListingCommands:
    def test_donors(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "donors", "--json")
        donors = json.loads(out)
        assert [(d["id"], d["name"], len(d["engagements"])) for d in donors] == [
            ("BE", "Belgium", 12),
            ("LU", "Luxembourg", 24),
            ("CH", "Switzerland", 1),
        ]
        assert donors[2]["engagements"] == ["lu-agropastoral-ii"]

    def test_donors_by_status_kind_and_source(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def counted(*options: str) -> dict[str, int]:
            out, _ = run(capsys, "donors", "--json", *options)
            return {d["id"]: len(d["engagements"]) for d in json.loads(out)}

        # MINUSMA 2018 is Belgium's one planned engagement.
        assert counted("--status", "planned") == {"BE": 1}
        assert counted("--kind", "deployment") == {"BE": 3, "LU": 2}
        # The Belgian Defence article cites Belgium's deployments only.
        assert set(counted("--source", "be-defence-eutm-2018")) == {"BE"}

    def test_an_unknown_source_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = usage_error(capsys, "donors", "--source", "be-dgd-mal")
        assert "did you mean 'be-dgd-mali'?" in err

    def test_organisations_by_kind(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "organisations", "--kind", "armed-forces", "--json")
        ids = {org["id"]: org["parent"] for org in json.loads(out)}
        assert ids["be-defence"] == "BE"
        assert all(
            mali_aid.load().organisation(id).kind == "armed-forces" for id in ids
        )

    def test_places_inside_a_place_by_name_with_a_note(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, err = run(capsys, "places", "--in", "Sikasso", "--level", "cercle")
        assert out.splitlines()[2:] == [
            "ml-yorosso-cercle  Yorosso  cercle  ml-sikasso-region (Sikasso)",
            "ml-sikasso-cercle  Sikasso  cercle  ml-sikasso-region (Sikasso)",
            "ml-kadiolo-cercle  Kadiolo  cercle  ml-sikasso-region (Sikasso)",
            "3 places",
        ]
        assert err.startswith("mali-aid: note: place 'Sikasso' taken as the widest")

    def test_places_json_carries_the_level_and_parent(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "places", "--json", "--level", "district")
        assert json.loads(out) == [
            {
                "id": "ml-bamako",
                "name": "Bamako",
                "level": "district",
                "parent": "ML",
                "iso_code": "ML-BKO",
                "areas": [],
                "aliases": ["District of Bamako"],
            }
        ]

    def test_sectors_show_their_dac_codes(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "sectors", "--json")
        codes = {sector["id"]: sector["dac_code"] for sector in json.loads(out)}
        assert codes["basic-health-care"] == "12220"
        assert codes["local-economic-development"] is None
        assert len(codes) == 31

    def test_sources(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "sources")
        assert out.splitlines()[-1] == "5 sources"
        assert out.splitlines()[2].startswith("be-dgd-mali ")

    def test_engagements_by_status_kind_and_source(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def ids(*options: str) -> list[str]:
            out, _ = run(capsys, "engagements", "--json", *options)
            return [record["id"] for record in json.loads(out)]

        assert ids("--status", "planned") == ["be-defence-minusma-2018"]
        assert ids("--kind", "mission", "--source", "be-defence-eutm-2018") == [
            "eutm-mali",
            "minusma",
        ]
        assert ids("--kind", "mission", "--donor", "BE") == []

    @pytest.mark.parametrize(
        "argv",
        [
            ["donors"],
            ["organisations", "--kind", "ngo"],
            ["places", "--level", "region"],
            ["sectors"],
            ["sources", "--json"],
        ],
    )
    def test_through_the_entry_point(self, argv: list[str]) -> None:
        result = entry_point(*argv)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout.strip()

    @pytest.mark.parametrize(
        "argv",
        [
            ["places", "--level", "planet"],
            ["donors", "--status", "dreaming"],
            ["organisations", "--kind", "mission"],
            ["places", "--in", "Atlantis"],
        ],
    )
    def test_bad_values_exit_2(self, argv: list[str]) -> None:
        result = entry_point(*argv)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr


class TestShowJson:
    def test_an_engagement_keeps_its_kind_and_money_has_the_one_form(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(capsys, "show", "lu-floods-2024", "--json")
        (record,) = json.loads(out)
        # The kind of record and the engagement's own kind are both there.
        assert (record["record"], record["kind"]) == ("engagement", "contribution")
        assert record["amounts"][0]["money"] == {"amount": "250000", "currency": "EUR"}
        assert record["donors"] == ["LU"]

    def test_an_id_two_kinds_hold(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "show", "ML", "--json")
        assert [(r["record"], r["id"]) for r in json.loads(out)] == [
            ("organisation", "ML"),
            ("place", "ML"),
        ]


class TestWidth:
    def test_a_narrow_terminal_cuts_titles_not_ids(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
        monkeypatch.setenv("COLUMNS", "60")
        out, _ = run(capsys, "engagements", "--donor", "CH")
        row = out.splitlines()[2]
        assert len(row) <= 60
        assert row.startswith("lu-agropastoral-ii  LU, CH")
        assert row.endswith("…")

    def test_a_pipe_gets_whole_lines(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "engagements", "--donor", "CH")
        assert out.splitlines()[2].endswith(
            "Agropastoral value chains support programme, phase II"
        )


class TestTotalsFiles:
    def test_csv_on_standard_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        out, _ = run(capsys, "totals", "--donor", "BE", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [row["donor"] for row in rows] == ["BE"]
        assert rows[0]["amount"] == "50500000.00"
        assert rows[0]["high"] == ""  # no upper bound: empty, never 0
        assert rows[0]["qualifier"] == "at-least"

    def test_csv_to_a_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "totals.csv"
        out, err = run(
            capsys,
            "totals",
            "--by",
            "donor,year",
            "--donor",
            "BE",
            "--format",
            "csv",
            "--out",
            str(path),
        )
        assert out == ""
        assert err == f"wrote 10 rows of totals to {path}\n"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0] == {
            "donor": "BE",
            "year": "2009",
            "amount": "8412825.20",
            "currency": "EUR",
            "low": "8412825.20",
            "high": "8412825.20",
            "qualifier": "exact",
            "basis": "spread-by-days; stated",
            "unknown": "",
            "unconverted": "",
        }
        # The year unknown is an empty cell; its amount unknown too.
        assert (rows[-1]["year"], rows[-1]["amount"]) == ("", "")

    def test_json_to_a_file_is_what_json_prints(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "totals.json"
        printed, _ = run(capsys, "totals", "--json", "--donor", "LU")
        run(capsys, "totals", "--format", "json", "--donor", "LU", "--out", str(path))
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(printed)
        assert json.loads(printed)["total"]["amount"] == "99600000.00"

    def test_through_the_entry_point(self) -> None:
        result = entry_point("totals", "--donor", "LU", "--format", "csv")
        assert result.returncode == 0
        assert result.stdout.splitlines()[0].startswith("donor,amount,currency,low")


class TestImportIati:
    def test_the_records_become_data_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out_dir = tmp_path / "imported"
        _, err = run(
            capsys, "import-iati", str(FIXTURE), "--out", str(out_dir), "--keep-outside"
        )
        assert err.startswith(f"wrote 1 engagement from 1 file to {out_dir} (")
        totals, _ = run(capsys, "totals", "--json", "--data", str(out_dir))
        result = json.loads(totals)
        assert [row["donor"] for row in result["rows"]] == ["BB-BBB-123456789"]
        listed, _ = run(capsys, "engagements", "--json", "--data", str(out_dir))
        assert [record["id"] for record in json.loads(listed)] == [
            "AA-AAA-123456789-ABC123"
        ]

    def test_activities_outside_mali_are_counted_not_written(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, _ = run(
            capsys, "import-iati", "--json", str(FIXTURE), "--out", str(tmp_path)
        )
        facts = json.loads(out)
        assert facts["engagements"] == 0
        assert len(facts["outside"]) == 1
        listed, _ = run(capsys, "engagements", "--data", str(tmp_path))
        assert listed == "no engagements\n"

    def test_a_second_import_replaces_the_first(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        run(
            capsys,
            "import-iati",
            str(FIXTURE),
            "--out",
            str(tmp_path),
            "--keep-outside",
        )
        run(capsys, "import-iati", str(FIXTURE), "--out", str(tmp_path))
        # No engagement of the first import is left behind.
        assert mali_aid.load(tmp_path).engagements == ()

    def test_a_missing_file_exits_1_through_the_entry_point(
        self, tmp_path: Path
    ) -> None:
        result = entry_point(
            "import-iati", str(tmp_path / "nothing.xml"), "--out", str(tmp_path)
        )
        assert result.returncode == 1
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("mali-aid: error: ")

    def test_through_the_entry_point(self, tmp_path: Path) -> None:
        result = entry_point(
            "import-iati", str(FIXTURE), "--keep-outside", "--out", str(tmp_path)
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "engagements.toml").is_file()


class TestLibrary:
    def test_totals_to_pandas_keeps_decimals(self) -> None:
        pytest.importorskip("pandas")
        data = mali_aid.load()
        frame = mali_aid.totals(
            data.select(donor="BE"), by="year", currency="EUR", data=data
        ).to_pandas()
        assert list(frame.columns[:3]) == ["year", "amount", "currency"]
        assert frame.loc[0, "amount"] == Decimal("8412825.20")
        assert frame["amount"].isna().sum() == 4  # 2016-2018 and the year unknown

    def test_totals_to_pandas_without_pandas_names_the_extra(self) -> None:
        code = (
            "import sys; sys.modules['pandas'] = None\n"
            "import mali_aid\n"
            "data = mali_aid.load()\n"
            "try:\n"
            "    mali_aid.totals(data.engagements, data=data, currency='EUR',"
            " by='donor').to_pandas()\n"
            "except ImportError as error:\n"
            "    print(error)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout == (
            "Totals.to_pandas() needs pandas: pip install 'mali-aid[pandas]'\n"
        )

    def test_save_and_load_give_the_same_records(self, tmp_path: Path) -> None:
        data = mali_aid.load()
        written = mali_aid.save(data, tmp_path / "copy")
        assert [path.name for path in written] == [
            f"{kind}s.toml" for kind in mali_aid.RECORD_KINDS
        ]
        copy = mali_aid.load(tmp_path / "copy")
        for kind in mali_aid.RECORD_KINDS:
            assert getattr(copy, f"{kind}s") == getattr(data, f"{kind}s")

    def test_save_writes_names_toml_must_quote(self, tmp_path: Path) -> None:
        data = Dataset(
            organisations=[
                Organisation(
                    id="x",
                    name='Quote " and back\\slash\nand é',
                    kind="ngo",
                    aliases=["tab\there"],
                )
            ]
        )
        mali_aid.save(data, tmp_path)
        assert mali_aid.load(tmp_path).organisations == data.organisations

    def test_browse_refuses_a_condition_a_kind_does_not_take(self) -> None:
        data = mali_aid.load()
        with pytest.raises(DataError, match="takes no level="):
            mali_aid.browse(data, "sectors", level="region")
        with pytest.raises(DataError, match="cannot browse 'themes'"):
            mali_aid.browse(data, "themes")  # type: ignore[arg-type]
        with pytest.raises(DataError, match="'cercles' is not a level of place"):
            mali_aid.browse(data, "places", level="cercles")
        with pytest.raises(UnknownIdError):
            mali_aid.browse(data, "places", within="ml-nowhere")

    def test_a_listing_is_its_records(self) -> None:
        listing = mali_aid.browse(mali_aid.load(), "donors")
        assert len(listing) == 3
        assert listing[0]["id"] == "BE"
        assert listing.to_dict()[1]["name"] == "Luxembourg"
        with pytest.raises(DataError):
            mali_aid.Listing(("id",), [("a",)], [])

    def test_summary(self) -> None:
        summary = mali_aid.summarise(mali_aid.load())
        assert summary.records["sources"] == 5
        assert summary.unknown_funder.engagements == 11
        assert summary.total.best == mali_aid.Money("150100000.00", "EUR")
        assert summary.to_dict()["years"] == {"first": 2003, "last": 2024}

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("P20Y~", "20 years"),
            ("P1Y", "1 year"),
            ("P1Y6M", "1 year 6 months"),
            ("P3M1D", "3 months 1 day"),
            ("2009/2014", None),
        ],
    )
    def test_period_length_in_words(self, text: str, words: str | None) -> None:
        assert Period.parse(text).length_in_words == words

    def test_overlaps_between_donors(self) -> None:
        data = Dataset(
            organisations=[
                Organisation(id=id, name=id, kind="state") for id in ("A", "B", "C")
            ],
            engagements=[
                Engagement(
                    id=id,
                    title=id,
                    kind="project",
                    period=Period.parse("2020"),
                    participants=[
                        Participant(organisation=org, role="funding") for org in orgs
                    ],
                )
                for id, orgs in (("a", "A"), ("b", "B"), ("bc", "BC"), ("c", "C"))
            ],
        )
        found = mali_aid.find_overlaps(data.engagements, data=data, on=("time",))
        pairs = {(pair.first, pair.second) for pair in found}
        assert len(pairs) == 6
        between = found.between_donors(data, ["A", "B"])
        assert {(p.first, p.second) for p in between} == {("a", "b"), ("a", "bc")}
        assert between.to_dict(data)["pairs"][1]["donors"] == [["A"], ["B", "C"]]
