"""mali-aid diff, and the IATI code options of every selecting command, through
the entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mali_aid._cli import main

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = str(ROOT / "tests" / "data" / "releases" / "2026.11.0")
EXAMPLE = (
    ROOT / "tests" / "fixtures" / "iati" / "activity-standard-example-annotated.xml"
)


class TestDiff:
    def test_the_same_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["diff", "bundled", "bundled"]) == 0
        assert capsys.readouterr().out == "no record changed\n"

    def test_from_the_release_before(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["diff", PREVIOUS, "bundled", "--json"]) == 0
        changes = {(c["kind"], c["id"]): c for c in json.loads(capsys.readouterr().out)}
        eutm = {f["field"]: f for f in changes[("engagements", "eutm-mali")]["fields"]}
        assert 2015 in eutm["active_in"]["new"] and 2015 not in eutm["active_in"]["old"]
        assert changes[("statements", "ml-stable-until-2012")]["change"] == "added"
        assert all(c["change"] != "removed" for c in changes.values())

    def test_text_and_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["diff", PREVIOUS, "bundled"]) == 0
        text = capsys.readouterr().out
        assert "changed engagement eutm-mali\n  active_in:" in text
        assert text.rstrip().endswith("changed")
        assert main(["diff", PREVIOUS, "bundled", "--markdown"]) == 0
        markdown = capsys.readouterr().out
        assert markdown.startswith("### Sources\n")
        assert "- changed `eutm-mali`" in markdown

    def test_a_missing_directory_is_one_line_and_status_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["diff", str(tmp_path / "nowhere"), "bundled"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "nowhere" in err


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The IATI standard's example activity (not for Mali, so kept with
    --keep-outside), imported as data files."""
    folder = tmp_path_factory.mktemp("imported") / "data"
    assert (
        main(["import-iati", str(EXAMPLE), "--keep-outside", "--out", str(folder)]) == 0
    )
    return str(folder)


class TestCodeOptions:
    def test_a_flow_type_the_example_has(
        self, imported: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        capsys.readouterr()
        assert (
            main(["engagements", "--data", imported, "--flow-type", "10", "--json"])
            == 0
        )
        assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [
            "AA-AAA-123456789-ABC123"
        ]
        assert (
            main(["engagements", "--data", imported, "--flow-type", "20", "--json"])
            == 0
        )
        assert json.loads(capsys.readouterr().out) == []

    def test_the_humanitarian_flag(
        self, imported: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        capsys.readouterr()
        assert (
            main(["engagements", "--data", imported, "--humanitarian", "--json"]) == 0
        )
        assert len(json.loads(capsys.readouterr().out)) == 1
        assert (
            main(["engagements", "--data", imported, "--not-humanitarian", "--json"])
            == 0
        )
        assert json.loads(capsys.readouterr().out) == []

    def test_a_policy_marker_with_its_significance(
        self, imported: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        capsys.readouterr()
        assert (
            main(
                ["engagements", "--data", imported, "--policy-marker", "2:3", "--json"]
            )
            == 0
        )
        assert len(json.loads(capsys.readouterr().out)) == 1
        assert (
            main(
                ["engagements", "--data", imported, "--policy-marker", "2:1", "--json"]
            )
            == 0
        )
        assert json.loads(capsys.readouterr().out) == []

    def test_a_code_not_in_its_codelist_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as stopped:
            main(["engagements", "--aid-type", "ZZZ"])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert "'ZZZ' is not in the IATI AidType codelist" in err.splitlines()[-1]
        assert "Traceback" not in err

    def test_both_flags_at_once_is_a_usage_error(self) -> None:
        with pytest.raises(SystemExit) as stopped:
            main(["totals", "--humanitarian", "--not-humanitarian"])
        assert stopped.value.code == 2


class TestImportQuietly:
    def test_quiet_asks_the_reader_for_no_progress_bar(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from mali_aid import iati

        asked: list[object] = []
        real = iati.read_activities

        def reading(*args: object, **options: object) -> object:
            asked.append(options.get("progress"))
            return real(*args, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(iati, "read_activities", reading)
        out = str(tmp_path / "a")
        assert main(["import-iati", str(EXAMPLE), "--quiet", "--out", out]) == 0
        assert main(["import-iati", str(EXAMPLE), "--out", str(tmp_path / "b")]) == 0
        # Quiet: never a bar; otherwise the reader decides (a bar on a terminal).
        assert asked == [False, None]
