"""The console scripts: `panelkey`, `secret_key`, `plesk`.

A Ctrl-C while one still loads (its imports take a second on a busy machine) or runs
ends it without a traceback; the process still ends by SIGINT, so a shell sees 130 as
for any program. Set here, in the package every script imports first.
"""

from __future__ import annotations

import sys
from types import TracebackType

_excepthook = sys.excepthook


def _quiet_interrupt(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        return
    _excepthook(kind, value, tb)


sys.excepthook = _quiet_interrupt
