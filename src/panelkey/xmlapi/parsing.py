"""Turn an agent.php request body into a checked ``<packet>`` element.

    parse_packet(body)  well-formed XML, no DTD or entities, bounded depth,
                        root ``packet``                    -> MalformedRequest (1014)

Nothing else escapes ``parse_packet`` whatever bytes it is given. The XML face then
checks the packet's version (versions.py), its budgets (budgets.py) and its shape
(validation.py), in the order of spec/xml-api.md.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, cast

from lxml import etree

from panelkey.core.errors import MalformedRequest
from panelkey.xmlapi import budgets

# Real packets are about seven levels deep; anything past this is hostile.
MAX_DEPTH = 64
# libxml2 quotes names from the request (up to 50,000 characters) in its messages.
_MAX_DETAIL = 300
_MAX_NAME = 64  # an element or attribute name quoted from the request

INVALID = "Request is invalid."
_DTD_REFUSED = f"{INVALID} DTD is not allowed"
_ENTITY_REFUSED = f"{INVALID} Entity references are not allowed"
# A DOCTYPE can only carry entities, so refusing it before parsing keeps
# entity expansion (billion laughs) and external fetches away from libxml2.
# UTF-16 bodies are caught after parsing, from the document's DTD.
_DTD_NAMES = ("DOCTYPE", "ENTITY")
_DTD_MARKERS = tuple(
    f"<!{name}".encode(codec)
    for name in _DTD_NAMES
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
# The UTF-8 markers in one pass (see _holds_dtd).
_UTF8_DTD = re.compile(b"<!(?:" + "|".join(_DTD_NAMES).encode() + b")")

# A big body naming a filter is parsed a slice at a time, its filters counted between two.
_FILTER_MARKERS = tuple("<filter".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_SLICE = 4 * 1024  # past the budget by at most about 300 items of a slice
_MARKER_SPAN = max(len(m) for m in _DTD_MARKERS) - 1  # bytes a marker may have in a slice before


# What a parse read in a body's first bytes: given the first ``<packet>`` element started
# in them (None if none), as far as it was read.
Head = tuple[int, Callable[[etree._Element | None], object]]


def parse_packet(
    body: bytes, filter_items: int | None = None, head: Head | None = None
) -> etree._Element:
    """Parse a request body into its ``<packet>`` root element.

    Raises MalformedRequest for an empty body, XML that is not well formed, any
    DTD or entity reference, elements nested deeper than MAX_DEPTH, or a root
    other than ``packet``; never any other exception but, with `filter_items` given,
    LimitReached as soon as the operations' filters are read to name more objects
    than that (the rest of the body unread: it may hold anything). A body so read a
    slice at a time is given to `head` (bytes, call) as its first bytes left it: what
    the journal labels such a refusal by, without parsing it again.
    """
    data = body if type(body) is bytes else bytes(body)
    if not data or data.isspace():
        raise MalformedRequest(f"{INVALID} The request body is empty")
    counted = filter_items is not None and len(data) > _BIG
    counted = counted and any(marker in data for marker in _FILTER_MARKERS)
    # Counted: each slice is searched for a DTD as it is fed (the part never read is
    # never searched: six searches of a 270 KB body cost more than refusing it).
    if not counted and _holds_dtd(data):
        raise MalformedRequest(_DTD_REFUSED)
    try:
        if counted:
            assert filter_items is not None
            root = _parse_counting_filters(data, filter_items, head)
        else:
            root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedRequest(_syntax_error_text(exc)) from None
    except (etree.LxmlError, ValueError) as exc:
        raise MalformedRequest(f"{INVALID} XML parse error: {clip(str(exc))}") from None
    if not isinstance(root, etree._Element):
        raise MalformedRequest(f"{INVALID} The request holds no XML document")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MalformedRequest(_DTD_REFUSED)
    if len(data) >= _DEEP_ENOUGH:
        _check_nodes(root, len(data) > _BIG)
    if root.tag != "packet":
        raise MalformedRequest(
            f"{INVALID} Error in line {line_of(root)}: "
            + clip(f"root element '{root.tag}' is not expected; expected (packet)")
        )
    return root


_parsers = threading.local()
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "dtd_validation": False,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": False,
}


def hardened_parser() -> etree.XMLParser:
    # One parser per thread: lxml parsers must not be shared between threads, and
    # making one per call costs more than parsing a small packet.
    parser: etree.XMLParser | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = etree.XMLParser(**_PARSER_OPTIONS)
        _parsers.parser = parser
    return parser


def _parse_counting_filters(data: bytes, limit: int, head: Head | None) -> etree._Element:
    """`data` parsed as `parse_packet` does, fed to libxml2 a slice at a time; between two
    slices, the items of the operations' filters read so far are counted (in C), and
    LimitReached raised once they pass `limit`: a 20,000-item filter costs the parse of
    its first thousand items, not of all (and not the budgets' walk of every element)."""
    tags = ("filter",) if head is None else ("filter", "packet")
    parser = etree.XMLPullParser(events=("start",), tag=tags, **_PARSER_OPTIONS)
    filters: list[etree._Element] = []
    done = 0  # items of the filters before the last (closed: an operation's filters are
    # siblings' children, so one starts after the one before has ended)
    first: list[etree._Element] = []  # the first <packet> started
    at = 0
    while at < len(data):
        # Slices end after a '>', so that no item is cut in two between them.
        end = data.find(b">", at + _SLICE) + 1 or len(data)
        if _holds_dtd(data[max(0, at - _MARKER_SPAN) : end]):  # a marker across slices too
            raise MalformedRequest(_DTD_REFUSED)
        if head is not None and at < head[0] < end:
            # The head's bytes fed on their own, then shown: libxml2 reads a body fed in
            # parts as it reads it whole, so the slices and the counts are the same.
            done = _feed(parser, data[at : head[0]], filters, first, done)
            head[1](first[0] if first else None)
            at = head[0]
        done = _feed(parser, data[at:end], filters, first, done)
        at = end
        if filters and done + len(filters[-1]) > limit:
            read = sum(int(cast(float, f.xpath("count(*)"))) for f in filters)
            if read > limit:
                raise budgets.filter_items_past(limit, read, at, len(data))
    root: etree._Element = parser.close()
    return root


def _feed(
    parser: etree.XMLPullParser,
    part: bytes,
    filters: list[etree._Element],
    first: list[etree._Element],
    done: int,
) -> int:
    """`part` fed to `parser`; the operations' filters it started added to `filters`, the
    first ``<packet>`` to `first`. Returns `done` with the items of the filters closed."""
    parser.feed(part)
    for _, event in parser.read_events():
        started = cast(etree._Element, event)
        if started.tag == "packet":
            first[:] = first or [started]
        elif _is_operations_filter(started):
            done += len(filters[-1]) if filters else 0
            filters.append(started)
    return done


def _is_operations_filter(node: etree._Element) -> bool:
    """Whether `node` is an operation's filter: packet/operator/operation/filter."""
    operation = node.getparent()
    operator = operation.getparent() if operation is not None else None
    packet = operator.getparent() if operator is not None else None
    return packet is not None and packet.getparent() is None


def _holds_dtd(data: bytes) -> bool:
    # Each UTF-16 marker holds a zero byte, which a body in UTF-8 (most) never does:
    # one search for it spares that body four of the six. `find`, not `in`: on bytes,
    # `in` first tries its operand as an integer, and raises and clears a TypeError
    # each time (three times the search itself for a small body). The two UTF-8 markers
    # in one pass: their common prefix `<!` is searched in C, and the pass costs less than
    # two `find`s, for a small body (one call fewer) and a 270 KB one alike.
    if data.find(b"\x00") < 0:
        return _UTF8_DTD.search(data) is not None
    find = data.find
    return any(find(marker) >= 0 for marker in _DTD_MARKERS)


_LXML_POSITION = re.compile(r", line \d+, column \d+$")


def _syntax_error_text(exc: etree.XMLSyntaxError) -> str:
    # exc.error_log may hold stale entries from earlier parses; exc.msg is this one.
    message = _LXML_POSITION.sub("", str(exc.msg or exc))
    line = exc.lineno or 1
    if "depth" in message.lower():
        # libxml2 stops at 256 levels on its own; report it as our own limit.
        return _depth_error_text(line)
    return f"{INVALID} XML parse error in line {line}: {clip(message)}"


def _depth_error_text(line: int | None) -> str:
    return f"{INVALID} Error in line {line}: elements are nested deeper than {MAX_DEPTH} levels"


def clip(text: str, limit: int = _MAX_DETAIL) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clip_name(name: str) -> str:
    return clip(name, _MAX_NAME)


def line_of(node: etree._Element) -> int | None:
    # lxml-stubs leave sourceline untyped.
    return cast("int | None", node.sourceline)


def _check_nodes(root: etree._Element, big: bool) -> None:
    """Refuse entity references and nesting past MAX_DEPTH. A `big` packet is searched in
    C (lxml's filtered iteration, an XPath), so that 70,000 elements cost milliseconds;
    a small one is walked here, which is quicker for a few nodes."""
    if big:
        if next(root.iter(etree.Entity), None) is not None:
            raise MalformedRequest(_ENTITY_REFUSED)
        deeper = cast(list[etree._Element], _PAST_DEPTH(root))
        if deeper:
            raise MalformedRequest(_depth_error_text(line_of(deeper[0])))
        return
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedRequest(_depth_error_text(line_of(node)))
        for child in node:
            if isinstance(child, etree._Entity):
                raise MalformedRequest(_ENTITY_REFUSED)
            if isinstance(child.tag, str):
                stack.append((child, depth + 1))


# The elements one level past MAX_DEPTH (the root being level 1), and the body size from
# which a packet counts as big.
_PAST_DEPTH = etree.XPath("/*" * (MAX_DEPTH + 1))
_BIG = 16 * 1024
# Below this many bytes no packet can break what _check_nodes checks, so most are spared
# the walk: each level past the first takes at least `<a>` and `</a>` (7 characters,
# each at least a byte), and an entity reference needs a DTD, which is refused before.
_DEEP_ENOUGH = 7 * MAX_DEPTH
