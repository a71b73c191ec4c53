"""The `plesk` command: `plesk bin <utility> ...` runs that utility, as in Plesk's documents.

The utilities are those of `panelkey.utilities.registry()`, the same list REST
`/cli/commands` shows and `/cli/{id}/call` runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from panelkey import __version__
from panelkey.cli.common import run_locally
from panelkey.utilities import registry


def usage() -> str:
    return (
        "Usage: plesk bin <utility> [<arguments>]\nUtilities: "
        + ", ".join(sorted(registry()))
        + "\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        print(f"plesk (panelkey {__version__})")
        return 0
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage()) if args else sys.stderr.write(usage())
        return 0 if args else 2
    if args[0] != "bin" or len(args) < 2:
        sys.stderr.write(usage())
        return 2
    utility = registry().get(args[1])
    if utility is None:
        sys.stderr.write(f"plesk: unknown utility {args[1]!r}\n{usage()}")
        return 1
    if args[2:] == ["--version"]:
        print(f"{args[1]} (panelkey {__version__})")
        return 0
    return run_locally(utility, args[2:], "plesk")


if __name__ == "__main__":
    raise SystemExit(main())
