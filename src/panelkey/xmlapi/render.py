"""Building answers: packets, ``<system>`` errors, per-object ``<result>`` elements."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from lxml import etree

from panelkey.xmlapi.errors import describe
from panelkey.xmlapi.parsing import SERVER_PROTOCOL

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
PACKET_OPEN = f'<packet version="{SERVER_PROTOCOL}">'.encode()
PACKET_CLOSE = b"</packet>"
ERROR_STATUS = b"<status>error</status>"

Field = tuple[str, "str | int | etree._Element | None"]
Fields = Iterable[Field]


def packet() -> etree._Element:
    return etree.Element("packet", version=SERVER_PROTOCOL)


def serialize(root: etree._Element, pretty: bool) -> bytes:
    return DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=pretty)


def result_bytes(result: etree._Element | bytes) -> bytes:
    """One result as it stands in the answer: an element serialized, or bytes a handler
    wrote already (a `<result>` that is the same for every request, made once)."""
    if isinstance(result, bytes):
        return result
    return etree.tostring(result, encoding="UTF-8", with_tail=False)


_own = threading.local()


def finish(packet: bytes, pretty: bool) -> bytes:
    """The answer's bytes from an answer packet written without declaration or layout
    (dispatch.run); with `pretty`, one element per line, as `serialize` lays it out."""
    if not pretty:
        return DECLARATION + packet
    parser = getattr(_own, "parser", None)
    if parser is None:  # our own answer, never the client's: only its size is unusual
        parser = _own.parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    return serialize(etree.fromstring(packet, parser), True)


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


# Fields whose values may also be nested Fields (a child element of those fields).
Tree = Iterable[tuple[str, "str | int | None | Tree"]]
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_fragments = threading.local()


def _write(parts: list[str], fields: Tree) -> None:
    for name, value in fields:
        if value is None:
            continue
        if isinstance(value, (str, int)):
            text = str(value)
            parts.append(f"<{name}>{text.translate(_ESCAPES)}</{name}>" if text else f"<{name}/>")
        else:
            parts.append(f"<{name}>")
            _write(parts, value)
            parts.append(f"</{name}>")


def _element_of(name: str, fields: Tree) -> etree._Element:
    element = etree.Element(name)
    for child, value in fields:
        if value is None:
            continue
        if isinstance(value, (str, int)):
            add(element, [(child, value)])
        else:
            element.append(_element_of(child, value))
    return element


def ok_all(items: Iterable[Tree]) -> list[etree._Element]:
    """``ok(fields)`` for each item: the same elements, for many results at a fraction of
    the cost, since they are written as text and parsed by libxml2 in one go instead of
    made one element at a time (docs/performance.md). A value may be nested fields."""
    items = list(items)
    parts: list[str] = []
    for fields in items:
        parts.append("<result><status>ok</status>")
        _write(parts, fields)
        parts.append("</result>")
    # Text libxml2 will not take back (a control character): built the slow way, which
    # refuses it just as `ok` would.
    return parsed(parts, lambda: [_element_of("result", [("status", "ok"), *f]) for f in items])


def esc(value: str | int) -> str:
    """A value as element text for `parsed`: XML's specials and CR escaped."""
    return str(value).translate(_ESCAPES)


def parsed(
    fragments: Iterable[str], slow: Callable[[], list[etree._Element]]
) -> list[etree._Element]:
    """The elements these XML fragments (their text made with `esc`) hold, parsed in one
    go; `slow()` when libxml2 refuses them (text with a control character)."""
    parser = getattr(_fragments, "parser", None)
    if parser is None:
        parser = _fragments.parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return list(etree.fromstring(("<r>" + "".join(fragments) + "</r>").encode(), parser))
    except etree.XMLSyntaxError:
        return slow()


def text_of(parent: etree._Element, tag: str) -> str | None:
    """The text of the first child named ``tag``: None when absent, '' when empty."""
    child = parent.find(tag)
    if child is None:
        return None
    return child.text or ""


def children(parent: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions skipped)."""
    return [c for c in parent if isinstance(c.tag, str)]
