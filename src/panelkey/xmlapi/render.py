"""Building answers: packets, ``<system>`` errors, per-object ``<result>`` elements."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable
from typing import Protocol

from lxml import etree

from panelkey.core.errors import PanelkeyError
from panelkey.xmlapi.errors import describe
from panelkey.xmlapi.versions import SERVER_PROTOCOL

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


class Made(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def guid(self) -> str: ...


def created(made: Made) -> etree._Element:
    """An ``add``'s answer for an object with a GUID: ``id`` and ``guid``."""
    return ok([("id", made.id), ("guid", made.guid)])


def error(exc: BaseException, fields: Fields = ()) -> etree._Element:
    """``<result><status>error</status><errcode/><errtext/>...fields</result>``."""
    code, text = describe(exc)
    return add(
        element("result", [("status", "error"), ("errcode", code), ("errtext", text)]), fields
    )


def outcome(
    act: Callable[[], Fields | None], head: Fields = (), failed: Fields | None = None
) -> etree._Element:
    """One object's result, where an operation answers one per object: ok with `head`
    then what `act` returns, or the core error `act` raised with `failed` (by default
    `head`). The one place a handler catches a core error: an error about the whole
    operation rises to the dispatcher instead (dispatch.run), which answers it alone."""
    head = list(head)
    try:
        fields = act()
    except PanelkeyError as exc:
        return error(exc, head if failed is None else failed)
    return ok([*head, *(fields or ())])


# Fields whose values may also be nested Fields (a child element of those fields), or
# an element made already.
Tree = Iterable[tuple[str, "str | int | None | etree._Element | Tree"]]
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SPECIAL = re.compile("[&<>\r]")
# What libxml2 will not hold as text (it refuses to set it): such text is built the slow
# way, element by element, which raises just as `ok` would.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same in ASCII text (most answers), as bytes to delete: a table lookup a byte in C,
# where the search above takes several times longer on every result.
_ASCII_NOT_XML = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _write(parts: list[str], fields: Tree) -> None:
    # Every answer written as text passes here, field by field: plain strings (most
    # values) skip the conversion, and text with none of XML's specials the translation.
    append = parts.append
    for name, value in fields:
        if value is None:
            continue
        if value.__class__ is str or isinstance(value, (str, int)):
            text = value if value.__class__ is str else str(value)
            if not text:
                append(f"<{name}/>")
            elif _SPECIAL.search(text) is None:
                append(f"<{name}>{text}</{name}>")
            else:
                append(f"<{name}>{text.translate(_ESCAPES)}</{name}>")
        elif isinstance(value, etree._Element):
            append(etree.tostring(value, encoding="unicode", with_tail=False))
        else:
            opened = len(parts)
            append(f"<{name}>")
            _write(parts, value)
            if len(parts) == opened + 1:
                parts[opened] = f"<{name}/>"
            else:
                append(f"</{name}>")


def _element_of(name: str, fields: Tree) -> etree._Element:
    element = etree.Element(name)
    for child, value in fields:
        if value is None:
            continue
        if isinstance(value, (str, int, etree._Element)):
            add(element, [(child, value)])
        else:
            element.append(_element_of(child, value))
    return element


def ok_text(fields: Tree) -> bytes:
    """The bytes of ``ok(fields)`` in the answer, written as text: the same bytes at a
    fraction of the cost of making elements one at a time (docs/performance.md). A
    value may be nested fields or an element."""
    fields = list(fields)
    parts = ["<result><status>ok</status>"]
    _write(parts, fields)
    parts.append("</result>")
    (made,) = written(
        ["".join(parts)], lambda: [_element_of("result", [("status", "ok"), *fields])]
    )
    return made


def ok_all(items: Iterable[Tree]) -> list[bytes]:
    """``ok_text(fields)`` for each item."""
    return [ok_text(fields) for fields in items]


def esc(value: str | int) -> str:
    """A value as element text for `written`: XML's specials and CR escaped."""
    text = str(value)
    return text if _SPECIAL.search(text) is None else text.translate(_ESCAPES)


def tag(name: str, value: str | int) -> str:
    """An element of text as libxml2 writes it: `<name/>` when the text is empty."""
    text = esc(value)
    return f"<{name}>{text}</{name}>" if text else f"<{name}/>"


def written(fragments: Iterable[str], slow: Callable[[], list[etree._Element]]) -> list[bytes]:
    """Results written as text, one per fragment (values made with `esc` or `tag`, empty
    elements as `<name/>`), as bytes for the answer; `slow()`'s elements serialized
    instead when a value holds what XML cannot (a control character), so that they
    refuse it as they would."""
    made = []
    for fragment in fragments:
        if fragment.isascii():
            data = fragment.encode()
            held = len(data.translate(None, _ASCII_NOT_XML)) != len(data)
        else:  # searched before encoding: a lone surrogate cannot be encoded
            held = _NOT_XML.search(fragment) is not None
            data = b"" if held else fragment.encode()
        if held:
            return [result_bytes(e) for e in slow()]
        made.append(data)
    return made


def child(parent: etree._Element, tag: str) -> etree._Element | None:
    """``parent.find(tag)``: for a plain name (no path), its first child of that name
    matched in C instead of through lxml's ElementPath, in a third of the time."""
    if _plain(tag):
        return next(parent.iterchildren(tag), None)
    return parent.find(tag)


@functools.lru_cache(maxsize=512)
def _plain(tag: str) -> bool:
    return _PLAIN_NAME.fullmatch(tag) is not None


_PLAIN_NAME = re.compile(r"[\w-]+")


def text_of(parent: etree._Element, tag: str) -> str | None:
    """The text of the first child named ``tag``: None when absent, '' when empty."""
    found = child(parent, tag)
    if found is None:
        return None
    return found.text or ""


def children(parent: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions skipped)."""
    return [c for c in parent if isinstance(c.tag, str)]


def dataset(op: etree._Element) -> set[str]:
    """The datasets a ``get`` asks for: the names of its ``dataset``'s children."""
    found = child(op, "dataset")
    return set() if found is None else {str(c.tag) for c in found.iterchildren(etree.Element)}
