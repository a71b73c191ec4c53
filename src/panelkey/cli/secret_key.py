"""The `secret_key` console script: runs the utility against the local store."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from panelkey import __version__
from panelkey.cli.common import run_locally
from panelkey.utilities import secret_key


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("--help", "-h", "-help") for a in args[:1]):
        sys.stdout.write(secret_key.USAGE)
        return 0
    if args[:1] == ["--version"]:
        print(f"secret_key (panelkey {__version__})")
        return 0
    return run_locally(secret_key.run, args)


if __name__ == "__main__":
    raise SystemExit(main())
