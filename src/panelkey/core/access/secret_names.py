"""Which names hold secrets: one rule for every element, hosting property and JSON field,
read by the journal (what to redact) and the XML face's packet budgets (how many
passwords a packet asks to hash). By name, so that operators added later are covered
without a list to keep up.
"""

from __future__ import annotations

import re

# Words that make a name secret: passwords, private keys, secrets, tokens, session ids,
# API keys. A name ending in `key` (`key`, `api_key`) is one too.
SECRET_WORDS = r"passw(?:or)?d|pass|pvt|private|secret|token|session[-_]?id|apikey"  # noqa: S105 - a pattern
_SECRET_NAME = re.compile(rf"{SECRET_WORDS}|(?:^|[-_])key$", re.I)
# A password proper (`passwd`, `password`, `ftp_password`): what must be hashed.
_PASSWORD_NAME = re.compile(r"(?:^|[-_])passw(?:or)?d$", re.I)


def secret_name(name: str) -> bool:
    """Whether a field or element of this name holds a secret: passwords (`passwd`,
    `password`, `ftp_password`, `HTTP_AUTH_PASSWD`), private keys (`pvt`, `private_key`),
    secrets, tokens, session ids, and key values (`key`, `api_key`, `apikey`)."""
    return _SECRET_NAME.search(name) is not None


def password_name(name: str) -> bool:
    """Whether this name holds a password to hash (`passwd`, `password`, `ftp-password`);
    every such name is also a `secret_name`."""
    return _PASSWORD_NAME.search(name) is not None
