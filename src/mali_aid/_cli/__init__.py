"""The ``mali-aid`` command line.

``mali-aid`` alone prints its help on standard error and exits with status
2, as argparse tools do. Every command reads the bundled data, or a
directory of the user's own files with ``--data DIR`` (plus the bundled data
with ``--merge``), prints an aligned plain-text table that fits the
terminal, or JSON with ``--json``.

Exit status: 0 on success; 2 for a mistake in the command itself (an unknown
option, a name that means no record or several); 1 when the data or the
request cannot be served (bad data, no exchange rate, a missing optional
extra), with one line on standard error and no traceback.

The commands call the public API of :mod:`mali_aid` only (the test
``tests/unit/test_cli_imports.py`` holds them to it): ``_parser`` builds the
parser, ``_commands`` holds one short function per command, ``_output`` what
they share.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._output import MissingExtra, Usage, one_line
from ._parser import parser

if TYPE_CHECKING:
    from mali_aid import Dataset

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    top = parser()
    arguments = top.parse_args(argv)
    run = getattr(arguments, "run", None)
    if run is None:
        top.print_help(sys.stderr)
        return 2
    command_parser = arguments.command_parser
    if arguments.loads_data and arguments.merge and arguments.data is None:
        command_parser.error("--merge needs --data DIR")
    from mali_aid.errors import MaliAidError

    try:
        return int(run(arguments, _data(arguments)))
    except Usage as error:
        command_parser.error(str(error))
    except (MaliAidError, MissingExtra) as error:
        _fail(str(error))
    except BrokenPipeError:
        # The reader stopped reading (``mali-aid ... | head``): stop quietly,
        # and keep Python from complaining when it flushes standard output.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        _fail(f"{error.strerror or error}: {error.filename}")
    except Exception as error:
        # The last guard: whatever the input, one line and never a traceback.
        _fail(
            f"internal error ({type(error).__name__}: {error});"
            " please report it with the command that caused it"
        )
    return 1


def _data(arguments: argparse.Namespace) -> Dataset | None:
    """The data the command reads; ``None`` for a command that reads none."""
    import mali_aid

    if not arguments.loads_data:
        return None
    return mali_aid.load(arguments.data, merge=arguments.merge)


def _fail(message: str) -> None:
    message = one_line(" ".join(message.split()))
    print(f"mali-aid: error: {message}", file=sys.stderr)
