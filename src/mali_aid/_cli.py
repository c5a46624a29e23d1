"""The ``mali-aid`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    import mali_aid

    parser = argparse.ArgumentParser(
        prog="mali-aid",
        description="Explore the curated dataset of international cooperation with Mali.",
    )
    parser.add_argument(
        "--version", action="version", version=f"mali-aid {mali_aid.__version__}"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
