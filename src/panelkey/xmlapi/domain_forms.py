"""Reading what ``webspace`` and ``site`` requests say of a domain: its status, its
hosting form (``vrt_hst``, ``std_fwd``, ``frm_fwd``, ``none``), addresses, FTP login.

A forwarding domain keeps its target (``dest_url``, ``http-code``) among the domain's
properties (core/domains/domains.py ``PROPERTY_KIND``): panelkey forwards nothing, it answers
the target back.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from lxml import etree

from panelkey.core.errors import InvalidValue
from panelkey.xmlapi import render

# Plesk's htype <-> the model's hosting_type.
HTYPES = {
    "vrt_hst": "virtual",
    "std_fwd": "standard_forwarding",
    "frm_fwd": "frame_forwarding",
    "none": "none",
}
HTYPE_OF = {v: k for k, v in HTYPES.items()}
_STATUS_CODE = {"active": 0, "disabled": 16, "suspended": 16}
# Plesk's objectStatus codes on input: 16/32/64 are "disabled by" someone; the
# others (backup, parent suspended, web service off, expired) mean suspended.
_STATUS_OF_CODE = {0: "active", 16: "disabled", 32: "disabled", 64: "disabled"}
_SUSPENDED_CODES = {1, 2, 4, 8, 256}
_FTP_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# The properties a forwarding domain keeps (answered in its hosting).
FORWARD_PROPS = ("dest_url", "http-code")
_TURN_OFF = {"suspend": "suspended", "disable": "disabled"}


def status_in(text: str | None) -> str:
    """The model's status for a request's ``status`` (a Plesk code or a word)."""
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
    return _TURN_OFF[action.strip()]


def hosting_type_in(htype: str | None, default: str = "virtual") -> str:
    return default if htype is None else HTYPES[htype.strip()]


def ip_in(values: list[str]) -> str:
    """The first address given (checked, canonical), or '' for the default."""
    for value in values:
        if value.strip():
            try:
                return str(ipaddress.ip_address(value.strip()))
            except ValueError:
                raise InvalidValue(f"Invalid IP address: {value!r}") from None
    return ""


def _form(hosting: etree._Element | None) -> etree._Element | None:
    if hosting is None:
        return None
    found = render.children(hosting)
    return found[0] if found else None


def properties_in(hosting: etree._Element | None) -> tuple[dict[str, str], list[str]]:
    """``hosting/vrt_hst``: its property name/value pairs; and the ``ip_address`` list
    of whichever form is given."""
    form = _form(hosting)
    if form is None:
        return {}, []
    ips = [ip.text or "" for ip in form.findall("ip_address")]
    if form.tag != "vrt_hst":
        return {}, ips
    props = {
        (p.findtext("name") or "").strip(): p.findtext("value") or ""
        for p in form.findall("property")
    }
    return props, ips


@dataclass(frozen=True, slots=True)
class HostingForm:
    """The hosting a request asks for: the model's type (None: not said) and the
    forwarding target to keep."""

    hosting_type: str | None = None
    props: dict[str, str] = field(default_factory=dict)


def hosting_form(hosting: etree._Element | None, htype: str | None) -> HostingForm:
    """The form of ``hosting``, checked against ``gen_setup/htype`` when both are
    given; an empty ``hosting`` (Plesk's forms are all optional) says nothing, so the
    htype or the operation's default applies. Raises InvalidValue (1019)."""
    form = _form(hosting)
    said = None if htype is None else HTYPES[htype.strip()]
    if form is None:
        return HostingForm(said)
    kind = HTYPES[str(form.tag)]
    if said is not None and said != kind:
        raise InvalidValue(f"The hosting given is not of the htype {htype!r}")
    props: dict[str, str] = {}
    if kind in ("standard_forwarding", "frame_forwarding"):
        url = (form.findtext("dest_url") or "").strip()
        if not url or len(url) > 1024 or any(c.isspace() for c in url):
            raise InvalidValue(f"Invalid destination URL: {url!r}")
        props = {"dest_url": url, "http-code": (form.findtext("http-code") or "").strip()}
    return HostingForm(kind, props)


def ftp_login_in(props: dict[str, str]) -> str:
    """The FTP login to keep. ``ftp_password`` is accepted and dropped: never stored."""
    login = props.get("ftp_login", "").strip()
    if login and not _FTP_LOGIN.match(login):
        raise InvalidValue(f"Invalid FTP login: {login!r}")
    return login


def flag_in(element: etree._Element | None) -> bool | None:
    """A Plesk flag given as an element: empty or ``true`` is yes, ``false`` no; None
    when absent. Raises InvalidValue."""
    if element is None:
        return None
    text = (element.text or "").strip().lower()
    if text in ("", "true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise InvalidValue(f"Invalid value for {element.tag!r}: {text!r}")
