"""Loading: the data files read, the bundled data, ``load()`` and merging.

The bundled data is never read: tests that need "the bundled data" point the
loader at a directory of their own (the ``bundled`` fixture).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

import mali_aid
from mali_aid import (
    DataError,
    Dataset,
    Engagement,
    Organisation,
    Participant,
    _loading,
    load,
)
from worlds import (
    ENGAGEMENT_HEAD,
    TOML_ENGAGEMENTS,
    TOML_ORGANISATIONS,
    TOML_SOURCES,
    TOML_THEMES,
    TOML_WORLD,
    failure,
    ids,
    with_extra,
    write,
)

# -- reading ------------------------------------------------------------------------


class TestReading:
    def test_each_kind_in_file_order(self, data: Dataset) -> None:
        assert [s.id for s in data.sources] == ["report-a", "page-b"]
        assert [o.id for o in data.organisations] == [
            "BE",
            "be-defence",
            "be-bffs",
            "LU",
            "luxdev",
            "luxdev-bamako",
            "CH",
            "ML",
            "fcm",
        ]
        assert [p.id for p in data.places] == [
            "ML",
            "ML-3",
            "yorosso",
            "sikasso-cercle",
            "sikasso-city",
            "ML-4",
            "ML-BKO",
            "BF",
            "ouahigouya",
        ]
        assert [s.id for s in data.sectors] == ["agriculture", "health", "security"]
        assert [t.id for t in data.themes] == ["gender"]
        assert ids(data.engagements) == [
            "be-programme",
            "be-eutm",
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-envelope-2023",
            "lu-humanitarian-2024",
            "lu-floods-2024",
            "mped",
        ]
        assert [e.id for e in data.events] == ["eutm-command"]
        assert [i.id for i in data.indicators] == ["hdi-rank", "share-figure"]
        assert isinstance(data.engagements, tuple)

    def test_figures_never_pass_through_a_float(self, data: Dataset) -> None:
        figure = data.indicator("share-figure").value
        assert type(figure) is Decimal
        assert str(figure) == "21.90"
        assert data.indicator("hdi-rank").out_of == Decimal(191)

    def test_a_missing_file_means_no_records_of_that_kind(self, tmp_path: Path) -> None:
        directory = write(
            tmp_path,
            {"sources.toml": TOML_SOURCES, "organisations.toml": TOML_ORGANISATIONS},
        )
        data = load(directory)
        assert len(data.sources) == 2
        assert len(data.organisations) == 9
        assert data.places == ()
        assert data.engagements == ()
        assert data.indicators == ()

    def test_an_empty_directory_is_an_empty_dataset(self, tmp_path: Path) -> None:
        assert load(tmp_path) == Dataset()

    def test_other_files_are_ignored(self, base_dir: Path) -> None:
        (base_dir / "README.md").write_text("notes", encoding="utf-8")
        (base_dir / "notes.txt").write_text("[[not toml", encoding="utf-8")
        assert len(load(base_dir).engagements) == 9

    def test_a_toml_file_with_another_name_is_refused(self, base_dir: Path) -> None:
        (base_dir / "engagement.toml").write_text(TOML_ENGAGEMENTS, encoding="utf-8")
        error = failure(base_dir)
        assert error.file == str(base_dir / "engagement.toml")
        assert "engagements.toml" in error.reason

    def test_a_missing_directory_is_a_data_error(self, tmp_path: Path) -> None:
        error = failure(tmp_path / "nowhere")
        assert error.file == str(tmp_path / "nowhere")
        assert error.reason == "not a directory"

    def test_accepts_a_string_path(self, base_dir: Path) -> None:
        assert load(str(base_dir)) == load(base_dir)

    def test_each_call_reads_the_directory_again(self, base_dir: Path) -> None:
        first = load(base_dir)
        (base_dir / "themes.toml").write_text(
            TOML_THEMES + '\n[[themes]]\nid = "climate"\nname = "Climate"\n',
            encoding="utf-8",
        )
        second = load(base_dir)
        assert len(first.themes) == 1
        assert [theme.id for theme in second.themes] == ["gender", "climate"]


class TestFileErrors:
    def test_malformed_toml_names_the_file_and_line(self, tmp_path: Path) -> None:
        files = dict(TOML_WORLD)
        files["events.toml"] = '[[events]]\nid = "x"\ntitle = \n'
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "events.toml")
        assert error.record is None
        assert error.reason.startswith("not valid TOML")
        assert "line 3" in error.reason

    def test_text_that_is_not_utf8(self, base_dir: Path) -> None:
        (base_dir / "themes.toml").write_bytes(b'[[themes]]\nid = "\xff"\n')
        error = failure(base_dir)
        assert error.file == str(base_dir / "themes.toml")
        assert "UTF-8" in error.reason

    def test_wrong_top_level_key(self, tmp_path: Path) -> None:
        files = dict(TOML_WORLD)
        files["themes.toml"] = '[[theme]]\nid = "gender"\nname = "Gender"\n'
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "themes.toml")
        assert "'theme'" in error.reason

    @pytest.mark.parametrize(
        "text",
        [
            "themes = 5\n",
            '[themes]\nid = "gender"\nname = "Gender"\n',
            "themes = [1]\n",
        ],
    )
    def test_kind_must_be_an_array_of_tables(self, tmp_path: Path, text: str) -> None:
        files = dict(TOML_WORLD)
        files["themes.toml"] = text
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "themes.toml")
        assert "array of tables" in error.reason

    def test_an_empty_file_holds_no_records(self, tmp_path: Path) -> None:
        files = dict(TOML_WORLD)
        files["themes.toml"] = "# no themes yet\n"
        files["engagements.toml"] = TOML_ENGAGEMENTS.replace(
            'themes = ["gender"]\n', ""
        )
        directory = write(tmp_path, files)
        assert load(directory).themes == ()


# -- validation of each record ---------------------------------------------------------

BROKEN_RECORDS = [
    pytest.param(
        "sources.toml",
        """
        [[sources]]
        id = "bad-source"
        title = "T"
        publisher = "P"
        language = "en"
        paragraphs = "12"
        """,
        "bad-source",
        "paragraphs",
        "is not an int",
        id="wrong-type",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-money"
        title = "T"
        kind = "project"
        amounts = [{ money = "5 ZZZ", kind = "budget" }]
        """,
        "bad-money",
        "amounts[0].money",
        "unknown currency code 'ZZZ'",
        id="unknown-currency",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-shares"
        title = "T"
        kind = "project"
        participants = [
            { organisation = "LU", role = "funding", share = "1/2" },
            { organisation = "CH", role = "funding", share = "1/3" },
        ]
        """,
        "bad-shares",
        "participants",
        "funding shares sum to 5/6, not 1",
        id="shares-not-one",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-field"
        title = "T"
        kind = "project"
        budget = 5
        """,
        "bad-field",
        None,
        "unknown field(s): budget",
        id="unknown-field",
    ),
    pytest.param(
        "events.toml",
        """
        [[events]]
        id = "bad-date"
        title = "T"
        kind = "coup"
        date = "2012-13"
        """,
        "bad-date",
        "date",
        "2012-13",
        id="bad-period",
    ),
]


@pytest.mark.parametrize(("name", "extra", "record", "field", "reason"), BROKEN_RECORDS)
def test_a_broken_record(
    tmp_path: Path,
    name: str,
    extra: str,
    record: str,
    field: str | None,
    reason: str,
) -> None:
    directory = write(tmp_path, with_extra(name, extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / name),
        record,
        field,
    )
    assert reason in error.reason


def test_a_record_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    extra = """
    [[themes]]
    name = "No id"
    """
    directory = write(tmp_path, with_extra("themes.toml", extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / "themes.toml"),
        None,
        "id",
    )
    assert "(table 2 of [[themes]])" in error.reason


# -- nothing half-loaded -------------------------------------------------------------


class TestBundled:
    def test_read_once_and_cached(self, bundled: Path) -> None:
        first = load()
        assert len(first.engagements) == 9
        (bundled / "engagements.toml").unlink()
        assert load() is first

    def test_bundled_files_are_named_without_their_path(self, bundled: Path) -> None:
        (bundled / "themes.toml").write_text("[[themes]]\nid = 5\n", encoding="utf-8")
        error = failure_of(load)
        assert error.file == "themes.toml"

    def test_a_failed_first_load_caches_nothing(self, bundled: Path) -> None:
        good = (bundled / "sectors.toml").read_text(encoding="utf-8")
        (bundled / "sectors.toml").write_text(good + "\n[[", encoding="utf-8")
        with pytest.raises(DataError):
            load()
        assert _loading._bundled is None
        (bundled / "sectors.toml").write_text(good, encoding="utf-8")
        assert len(load().sectors) == 3

    def test_first_load_from_many_threads_reads_once(
        self, bundled: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        reads: list[int] = []
        read = _loading._read_bundled

        def slow_read() -> _loading._Tables:
            reads.append(1)
            time.sleep(0.05)
            return read()

        monkeypatch.setattr(_loading, "_read_bundled", slow_read)
        results: list[Dataset] = []
        threads = [
            threading.Thread(target=lambda: results.append(load())) for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(reads) == 1
        assert len(results) == 8
        assert all(result is results[0] for result in results)

    def test_a_failing_load_leaves_the_bundled_data_untouched(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        before = load()
        user = write(
            tmp_path / "user",
            {"engagements.toml": ENGAGEMENT_HEAD + 'part_of = "nowhere"\n'},
        )
        with pytest.raises(DataError):
            load(user, merge=True)
        with pytest.raises(DataError):
            load(user)
        assert load() is before
        assert _loading._bundled is before
        assert len(before.engagements) == 9
        assert before.engagement("broken", default=None) is None


def failure_of(call: object) -> DataError:
    assert callable(call)
    with pytest.raises(DataError) as caught:
        call()
    return caught.value


# -- merge ----------------------------------------------------------------------------


class TestMerge:
    def test_adds_the_users_records_after_the_bundled_ones(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {
                "organisations.toml": """
                [[organisations]]
                id = "lu-ngo"
                name = "A Luxembourg NGO"
                kind = "ngo"
                parent = "LU"
                """,
                "engagements.toml": """
                [[engagements]]
                id = "lu-ngo-2024"
                title = "NGO framework agreement"
                kind = "project"
                participants = [
                    { organisation = "LU", role = "funding" },
                    { organisation = "lu-ngo", role = "implementing" },
                ]
                places = [{ place = "yorosso" }]
                active_in = [2024]
                """,
            },
        )
        data = load(user, merge=True)
        assert [o.id for o in data.organisations][-2:] == ["fcm", "lu-ngo"]
        assert ids(data.engagements)[-2:] == ["mped", "lu-ngo-2024"]
        assert len(data.engagements) == 10
        assert ids(data.select(implementer="LU", place="ML-3")) == [
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-ngo-2024",
        ]
        assert load() is not data
        assert len(load().engagements) == 9

    def test_refuses_an_id_clash_within_a_kind(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {
                "themes.toml": """
                [[themes]]
                id = "climate"
                name = "Climate"

                [[themes]]
                id = "gender"
                name = "Gender equality"
                """
            },
        )
        error = failure_of(lambda: load(user, merge=True))
        assert (error.file, error.record, error.field) == (
            str(user / "themes.toml"),
            "gender",
            "id",
        )
        assert "a bundled theme already has this id" in error.reason

    def test_the_same_id_in_another_kind_is_no_clash(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {"sectors.toml": '[[sectors]]\nid = "LU"\nname = "A sector named LU"\n'},
        )
        data = load(user, merge=True)
        assert data.sector("LU").name == "A sector named LU"
        assert data.organisation("LU").name == "Luxembourg"

    def test_an_error_in_the_users_file_names_it(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {"engagements.toml": ENGAGEMENT_HEAD + 'follows = "lu-icp-v"\n'},
        )
        error = failure_of(lambda: load(user, merge=True))
        assert (error.file, error.record, error.field) == (
            str(user / "engagements.toml"),
            "broken",
            "follows",
        )

    def test_needs_a_directory(self, bundled: Path) -> None:
        with pytest.raises(ValueError, match="merge=True needs the directory"):
            load(merge=True)


class TestMergeRecords:
    """``_loading.merge``: the rule ``load(merge=True)`` follows, for records
    that come from no file (the IATI reader's)."""

    BASE = Dataset(
        organisations=[Organisation(id="LU", name="Luxembourg", kind="state")],
    )

    def test_adds_records_after_the_base_and_they_may_refer_to_it(self) -> None:
        added = Engagement(
            id="lu-2024",
            title="Envelope 2024",
            kind="envelope",
            participants=[Participant(organisation="LU", role="funding")],
        )
        merged = _loading.merge(
            self.BASE,
            {
                "organisations": [
                    Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU")
                ],
                "engagements": [added],
            },
        )
        assert [o.id for o in merged.organisations] == ["LU", "luxdev"]
        assert merged.engagements == (added,)
        assert merged.root_organisation("luxdev").id == "LU"
        assert self.BASE.organisation("luxdev", default=None) is None

    def test_refuses_an_id_the_base_holds_even_for_an_equal_record(self) -> None:
        again = Organisation(id="LU", name="Luxembourg", kind="state")
        assert again == self.BASE.organisations[0]
        with pytest.raises(DataError) as raised:
            _loading.merge(self.BASE, {"organisations": [again]})
        error = raised.value
        assert (error.file, error.record, error.field) == (None, "LU", "id")
        assert "a base organisation already has this id" in error.reason

    def test_checks_the_whole(self) -> None:
        broken = Organisation(id="x", name="X", kind="agency", parent="nowhere")
        with pytest.raises(DataError, match="no organisation has the id 'nowhere'"):
            _loading.merge(self.BASE, {"organisations": [broken]})

    def test_refuses_a_kind_it_does_not_know(self) -> None:
        with pytest.raises(TypeError, match="'donors'"):
            _loading.merge(self.BASE, {"donors": []})


# -- the package ---------------------------------------------------------------------------


def test_data_version_is_a_calendar_release() -> None:
    assert re.fullmatch(r"20\d\d\.(1[0-2]|[1-9])\.\d+", mali_aid.DATA_VERSION)
    assert "DATA_VERSION" in mali_aid.__all__


def test_importing_the_package_reads_no_data() -> None:
    code = (
        "import sys, mali_aid\n"
        "from mali_aid import _loading\n"
        "print(_loading._bundled is None,"
        " 'pint' in sys.modules,"
        " 'hypothesis' in sys.modules,"
        " 'tomllib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False", "False", "False"]
