"""The model's name rules and value sets, each written once: the core's checks compile
them and the REST schemas publish them.

Patterns are regex source, anchored, written for every engine that reads them: Python's
`re` (the core, the REST checker), ECMA-262 and Rust (schema validators, fuzzers). So no
`\\s` (a different set in each), and a closing `$` means the end of the text: compile
with `compiled()`, which makes it so in Python too (its `$` also matches before a final
newline).

Every pattern runs in time linear in its text under a backtracking engine (Python's `re`):
no two ways to match the same text, so a failure never retries what it tried. A test runs
each against long adversarial texts (tests/unit/test_patterns.py). Each also has a length,
checked before it: `*_MAX` here, or the schema's `maxLength`.
"""

from __future__ import annotations

import functools
import re

# Python's white space (`str.isspace`), spelled out.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# -- accounts ---------------------------------------------------------------------------

LOGIN_MAX = 60
LOGIN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,59}$"
# Plesk's lengths of an account's contact data (plesk_client.xsd gen_info).
NAME_MAX = 60
EMAIL_MAX = 255
_AT = rf"[^@\x00{SPACE}]"
_DOTLESS = rf"[^@.\x00{SPACE}]"
# An account's e-mail: empty (none given), or an address: `local@d.d`, a dot in its
# domain part neither first nor last. Written so that only the domain part's first dot
# after its first character can be the one the rule asks for: one way to match.
EMAIL = rf"^(|{_AT}+@{_AT}{_DOTLESS}*\.{_AT}+)$"
# A description, where Plesk gives no length: panelkey's, as the XML face's budget.
DESCRIPTION_MAX = 1024
# Passwords (hashed, never kept): room for any passphrase a person types.
PASSWORD_MAX = 255
# A free text with no rule of its own (an address line, a city, an external id).
TEXT_MAX = 255
# 0 active, 16 disabled by the administrator; 4 and 256 as Plesk has them.
ACCOUNT_STATUSES = (0, 4, 16, 256)

# -- domains ----------------------------------------------------------------------------

DOMAIN_STATUSES = ("active", "suspended", "disabled")
HOSTING_TYPES = ("virtual", "standard_forwarding", "frame_forwarding", "none")
DOMAIN_NAME_MIN = 4
# Room for the zone's records below the name, as webmail.<name> (253 at most).
DOMAIN_NAME_MAX = 245
_LDH = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# Internationalised labels in lower-case Latin letters, short enough that their ASCII
# (punycode) form stays within a label's 63 characters.
_U_LABEL = "[a-z0-9\u00df-\u00f6\u00f8-\u00ff]{1,12}"
_TLD = "[0-9]{0,30}[A-Za-z](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?"
# With one internationalised label, at most four short others: the ASCII form must stay
# within 253 characters, which no pattern can count.
_SHORT = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,18}[A-Za-z0-9])?"
_SHORT_TLD = "[0-9]{0,9}[A-Za-z](?:[A-Za-z0-9-]{0,9}[A-Za-z0-9])?"
# A domain name as a request gives it: labels of letters, digits and hyphens, the last one
# not all digits; or an internationalised name with one label in lower-case Latin letters.
DOMAIN_NAME = (
    rf"^(?:(?:{_LDH}\.)+{_TLD}"
    rf"|(?:{_SHORT}\.){{0,2}}{_U_LABEL}\.(?:{_SHORT}\.){{0,2}}{_SHORT_TLD})\.?$"
)

# -- DNS --------------------------------------------------------------------------------

# The record types a zone keeps.
DNS_TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "CAA", "DS", "TLSA", "HTTPS")

# -- content ----------------------------------------------------------------------------

# A system user's name, for a subscription's FTP login and its FTP users alike (the rule
# core/domains/logins.py checks): the portable POSIX user name, 1-64 characters.
FTP_LOGIN_MAX = 64
FTP_LOGIN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
FTP_HOME_MAX = 1024
# A home below the subscription's root: no `..` segment, no backslash, no white space.
_PATH_CHAR = rf"[^/\\\x00{SPACE}]"
_NOT_DOT = rf"[^/\\.\x00{SPACE}]"
_SEGMENT = rf"(?:{_NOT_DOT}{_PATH_CHAR}*|\.(?:{_NOT_DOT}{_PATH_CHAR}*)?|\.\.{_PATH_CHAR}+)?"
FTP_HOME = rf"^{_SEGMENT}(?:/{_SEGMENT})*$"

# -- databases --------------------------------------------------------------------------

# The database servers panelkey has.
DATABASE_TYPES = ("mysql", "postgresql")
DATABASE_NAME_MAX = 63
DATABASE_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$"
DATABASE_LOGIN_MAX = 32
DATABASE_LOGIN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled, a closing `$` meaning the end of the text (as in JSON Schema)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)
