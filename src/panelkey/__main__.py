"""`python -m panelkey`: the `panelkey` command, for an environment without its script."""

from __future__ import annotations

from panelkey.cli.panelkey import main

if __name__ == "__main__":
    raise SystemExit(main())
