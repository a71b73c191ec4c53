"""Building answers: packets, ``<system>`` errors, per-object ``<result>`` elements."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from panelkey.xmlapi.errors import describe
from panelkey.xmlapi.parsing import SERVER_PROTOCOL

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

Field = tuple[str, "str | int | etree._Element | None"]
Fields = Iterable[Field]


def packet() -> etree._Element:
    return etree.Element("packet", version=SERVER_PROTOCOL)


def serialize(root: etree._Element, pretty: bool) -> bytes:
    return DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=pretty)


def system_error(exc: BaseException) -> etree._Element:
    """A packet holding only the packet-level error."""
    code, text = describe(exc)
    root = packet()
    system = etree.SubElement(root, "system")
    add(system, [("status", "error"), ("errcode", code), ("errtext", text)])
    return root


def add(parent: etree._Element, fields: Fields) -> etree._Element:
    """Append children in order: text for str/int, the element itself for an element.
    A None value is skipped; an empty string makes an empty element."""
    for name, value in fields:
        if value is None:
            continue
        if isinstance(value, etree._Element):
            parent.append(value)
            continue
        child = etree.SubElement(parent, name)
        text = str(value)
        if text:
            child.text = text
    return parent


def element(tag: str, fields: Fields = ()) -> etree._Element:
    return add(etree.Element(tag), fields)


def ok(fields: Fields = ()) -> etree._Element:
    """``<result><status>ok</status>...fields</result>``."""
    return add(element("result", [("status", "ok")]), fields)


def error(exc: BaseException, fields: Fields = ()) -> etree._Element:
    """``<result><status>error</status><errcode/><errtext/>...fields</result>``."""
    code, text = describe(exc)
    return add(
        element("result", [("status", "error"), ("errcode", code), ("errtext", text)]), fields
    )


def text_of(parent: etree._Element, tag: str) -> str | None:
    """The text of the first child named ``tag``: None when absent, '' when empty."""
    child = parent.find(tag)
    if child is None:
        return None
    return child.text or ""


def children(parent: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions skipped)."""
    return [c for c in parent if isinstance(c.tag, str)]
