"""Entry point: `wastewalk` / `python -m wastewalk`. Qt is imported only when the window opens."""

from __future__ import annotations

import sys

from wastewalk import cli


def launch_gui(db_target: str | None) -> int:
    """Open the window (imported here so headless sub-commands never load Qt)."""
    from wastewalk.ui.app import run

    return run(db_target)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, launch_gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
