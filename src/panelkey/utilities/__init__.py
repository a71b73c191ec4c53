"""Plesk command-line utilities as functions: an argument list in, (code, stdout, stderr) out.

The console scripts and REST `/cli/{id}/call` both run these, so the two never drift.
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
    from panelkey.utilities import secret_key

    return {"secret_key": secret_key.run}


# What REST `/cli/{id}/ref` reports for each utility.
REFERENCE: dict[str, dict[str, list[str]]] = {}
