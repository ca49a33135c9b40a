"""The `wastewalk` command line: with no sub-command it opens the window; the rest work headless.

Exit codes: 0 success; 2 bad input or an unusable database, with a message saying what and where;
1 an unexpected fault (a bug), logged with its traceback. A failed command changes nothing.

`entry` holds the grammar and the dispatch; each larger command has a module of its own
(`timestudy`, `exports`, `reports`, `spc`) with NAME, add_parser(sub, common) and run(args, target).
"""

from __future__ import annotations

from wastewalk.cli.common import EXIT_BAD_INPUT, EXIT_FAULT, EXIT_OK
from wastewalk.cli.entry import build_parser, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAULT", "EXIT_OK", "build_parser", "main"]
