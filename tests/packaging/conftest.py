"""The sdist and wheel under test.

``MALI_AID_DIST_DIR`` names a directory holding one sdist and one wheel built
beforehand (CI builds them once and installs that wheel to run the tests).
Without it, the distributions are built from this source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST_DIR_VARIABLE = "MALI_AID_DIST_DIR"


@dataclass(frozen=True)
class Distributions:
    sdist: Path
    wheel: Path

    @property
    def version(self) -> str:
        return self.wheel.name.split("-")[1]

    def wheel_names(self) -> list[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.namelist()

    def wheel_text(self, name: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(name).decode("utf-8")

    def sdist_names(self) -> list[str]:
        """Paths in the sdist below its top folder; files only."""
        with tarfile.open(self.sdist) as archive:
            members = [member for member in archive.getmembers() if member.isfile()]
        top = f"mali_aid-{self.version}/"
        names = []
        for member in members:
            assert member.name.startswith(top), member.name
            names.append(member.name.removeprefix(top))
        return names


def build(source: Path, outdir: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "build", *args, "--outdir", str(outdir), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"python -m build failed:\n{done.stdout}\n{done.stderr}")


def _one(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {directory}, found {found}"
    return found[0]


@pytest.fixture(scope="session")
def root() -> Path:
    """The top of the source tree (or of the unpacked sdist) the tests run from."""
    return ROOT


@pytest.fixture(scope="session")
def built_beforehand() -> bool:
    """Whether this run checks distributions built, and installed, beforehand."""
    return bool(os.environ.get(DIST_DIR_VARIABLE))


@pytest.fixture(scope="session")
def builder() -> Callable[..., None]:
    """``python -m build`` as a function: ``builder(source, outdir, *options)``."""
    pytest.importorskip("build", reason="building needs the 'build' package")
    return build


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    given = os.environ.get(DIST_DIR_VARIABLE)
    if given:
        directory = Path(given)
    else:
        pytest.importorskip("build", reason="building needs the 'build' package")
        if not (ROOT / "pyproject.toml").is_file():
            pytest.skip("no source tree to build from")
        directory = tmp_path_factory.mktemp("dist")
        # Like CI: the sdist first, then the wheel from the sdist.
        build(ROOT, directory)
    return Distributions(
        sdist=_one(directory, "mali_aid-*.tar.gz"),
        wheel=_one(directory, "mali_aid-*.whl"),
    )
