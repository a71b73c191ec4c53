"""Values on the wire: how Plesk spells flags, numbers, ids, statuses and hosting types,
read from requests and written in answers. One place, so that every operator reads a
``true`` and writes a status code the same way.

Flags are spelled per element, as Plesk's schema types them: an ``xs:boolean``
(``true``/``false``/``1``/``0``, the default), a switch that also takes ``on``/``off``
and ``yes``/``no`` (what site aliases, FTP users and protected directories take as
strings), or an element whose presence says yes (empty means true). A flag spelled
otherwise is InvalidValue (1019).
"""

from __future__ import annotations

import ipaddress
import re

from lxml import etree

from panelkey.core.errors import InvalidValue

# How a flag may be spelled: (the words for yes, the words for no), compared lowercase.
Spelling = tuple[frozenset[str], frozenset[str]]
BOOLEAN: Spelling = (frozenset({"true", "1"}), frozenset({"false", "0"}))
SWITCH: Spelling = (BOOLEAN[0] | {"on", "yes"}, BOOLEAN[1] | {"off", "no"})
PRESENCE: Spelling = (BOOLEAN[0] | {""}, BOOLEAN[1])


def flag(text: str | None, name: str, spelling: Spelling = BOOLEAN) -> bool | None:
    """The flag `text` spells; None when absent. Raises InvalidValue naming `name`."""
    if text is None:
        return None
    value = text.strip().lower()
    yes, no = spelling
    if value in yes:
        return True
    if value in no:
        return False
    raise InvalidValue(f"Invalid value for '{name}' specified")


def flag_of(element: etree._Element | None, spelling: Spelling = PRESENCE) -> bool | None:
    """A flag given as an element (by default its presence, or an empty one, says yes);
    None when absent. Raises InvalidValue."""
    if element is None:
        return None
    return flag(element.text or "", str(element.tag), spelling)


def boolean(value: bool) -> str:
    """A flag in an answer: ``true`` or ``false``."""
    return "true" if value else "false"


_ID = re.compile(r"\+?[0-9]+")


def id_of(text: str) -> int | None:
    """An object id as the schema's ``Id`` (an ``xs:positiveInteger``) spells it, leading
    ``+`` and zeros included; None for anything else."""
    value = text.strip()
    return int(value) if _ID.fullmatch(value) else None


def number(text: str | None, name: str) -> int | None:
    """A whole number (a quota, a size; ``-1`` for unlimited); None when absent. Raises
    InvalidValue."""
    if text is None:
        return None
    value = text.strip()
    if not value.lstrip("-").isdigit() or len(value) > 19:
        raise InvalidValue(f"Invalid {name}: {text!r}")
    return int(value)


# -- a domain's status -------------------------------------------------------------------

# The model's status -> Plesk's objectStatus code: disabled and suspended are both 16
# ("disabled/suspended by the administrator"); a site's turn-off-action tells them apart.
_STATUS_CODE = {"active": 0, "disabled": 16, "suspended": 16}
# Plesk's codes on input: 16/32/64 are "disabled by" someone; the others (backup, parent
# suspended, web service off, expired) mean suspended.
_STATUS_OF_CODE = {0: "active", 16: "disabled", 32: "disabled", 64: "disabled"}
_SUSPENDED_CODES = {1, 2, 4, 8, 256}
# turn-off-action on input, and the model's status -> its turn-off-action in answers.
_TURNED_OFF = {"suspend": "suspended", "disable": "disabled"}
TURN_OFF_ACTION = {v: k for k, v in _TURNED_OFF.items()}


def status_code(status: str) -> int:
    """Plesk's code for the model's status (16 for any status turned off)."""
    return _STATUS_CODE.get(status, 16)


def status_in(text: str | None) -> str:
    """The model's status for a request's ``status`` (a Plesk code or a word); active
    when absent. Raises InvalidValue."""
    if text is None:
        return "active"
    value = text.strip().lower()
    if value in _STATUS_CODE:
        return value
    if value.isdigit():
        code = int(value)
        if code in _STATUS_OF_CODE:
            return _STATUS_OF_CODE[code]
        if code in _SUSPENDED_CODES:
            return "suspended"
    raise InvalidValue(f"Invalid status: {text!r}")


def turned_off(status: str, action: str | None) -> str:
    """`status` as ``turn-off-action`` tells it: a domain turned off is ``suspended``
    or ``disabled`` as the action says; an active one stays active."""
    if action is None or status == "active":
        return status
    return _TURNED_OFF[action.strip()]


# -- hosting types -------------------------------------------------------------------------

# Plesk's htype <-> the model's hosting_type.
HTYPES = {
    "vrt_hst": "virtual",
    "std_fwd": "standard_forwarding",
    "frm_fwd": "frame_forwarding",
    "none": "none",
}
_HTYPE_OF = {v: k for k, v in HTYPES.items()}


def htype_of(hosting_type: str) -> str:
    """Plesk's htype for the model's hosting type (``none`` for anything else)."""
    return _HTYPE_OF.get(hosting_type, "none")


def hosting_type_in(htype: str | None, default: str = "virtual") -> str:
    """The model's hosting type for a request's ``htype``; `default` when absent."""
    return default if htype is None else HTYPES[htype.strip()]


# -- addresses ---------------------------------------------------------------------------


def ip_in(values: list[str]) -> str:
    """The first address given (checked, canonical), or '' for the default. Raises
    InvalidValue."""
    for value in values:
        if value.strip():
            try:
                return str(ipaddress.ip_address(value.strip()))
            except ValueError:
                raise InvalidValue(f"Invalid IP address: {value!r}") from None
    return ""
