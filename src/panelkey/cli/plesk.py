"""The `plesk` command: `plesk bin <utility> ...` runs that utility, as in Plesk's documents."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = "Usage: plesk bin <utility> [<arguments>]\nUtilities: secret_key\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE) if args else sys.stderr.write(USAGE)
        return 0 if args else 2
    if args[0] != "bin" or len(args) < 2:
        sys.stderr.write(USAGE)
        return 2
    from panelkey.utilities import registry

    if args[1] not in registry():
        sys.stderr.write(f"plesk: unknown utility {args[1]!r}\n{USAGE}")
        return 1
    from panelkey.cli import secret_key

    return secret_key.main(args[2:])


if __name__ == "__main__":
    raise SystemExit(main())
