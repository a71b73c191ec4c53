"""Plesk command-line utilities as functions: an argument list in, (code, stdout, stderr) out.

`registry()` is the one list of utilities: `plesk bin <name>` runs them and REST
`/cli/commands` lists them and `/cli/{id}/call` runs them, so the faces never drift.
A name not in it (`scheduler`, `../bin/sh`) is an unknown command on every face:
nothing is ever handed to a shell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from panelkey.core.panel import Panel


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


Utility = Callable[[Panel, Sequence[str], str], Outcome]


def registry() -> dict[str, Utility]:
    """Every utility by its name. Imported late: each module adds its REFERENCE entry."""
    from panelkey.utilities import secret_key

    return {"secret_key": secret_key.run}


def reference(name: str) -> dict[str, list[str]]:
    """What REST `/cli/{id}/ref` reports for a utility of the registry."""
    registry()
    ref = REFERENCE.get(name, {})
    return {
        "allowed_commands": list(ref.get("allowed_commands", [])),
        "allowed_options": list(ref.get("allowed_options", [])),
    }


# What REST `/cli/{id}/ref` reports for each utility; filled in by each utility's module.
REFERENCE: dict[str, dict[str, list[str]]] = {}
