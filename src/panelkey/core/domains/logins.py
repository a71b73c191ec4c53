"""The FTP login rule, one for a subscription's system user (its hosting `ftp_login`) and
for the subscription's additional FTP users: on the server they are all system users of
one namespace (core/content/ftp_users.py refuses a name a subscription's login holds).

Letters, digits, dot, underscore and hyphen, starting with a letter or a digit, 1 to 64
characters: the portable user name of POSIX, which a system user must be. Plesk's
reference for FTP account names allows no `@` (nor any other sign) either, so an
e-mail-like login is refused. Plesk's own examples take mixed case (`JohnDoe`), so case
is kept as given.
"""

from __future__ import annotations

import re
from typing import Any

from panelkey.core.errors import InvalidValue
from panelkey.core.patterns import FTP_LOGIN

_FTP_LOGIN = re.compile(FTP_LOGIN)


def check_ftp_login(value: Any, *, what: str = "FTP login", empty: bool = False) -> str:
    """`value` without surrounding spaces, when it is an FTP login; '' for none when
    `empty` allows it. Raises InvalidValue (1019) naming `what`."""
    text = value.strip() if isinstance(value, str) else None
    if text == "" and empty:
        return ""
    if text is None or not _FTP_LOGIN.fullmatch(text):
        raise InvalidValue(f"Invalid {what}: {value!r}")
    return text
