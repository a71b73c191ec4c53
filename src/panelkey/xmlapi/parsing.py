"""Turn an agent.php request body into a checked ``<packet>`` element.

Three small steps, run by the XML face in the order of spec/xml-api.md:

    parse_packet(body)  well-formed XML, no DTD or entities, bounded depth,
                        root ``packet``                    -> MalformedRequest (1014)
    check_version(root) ``version`` absent, supported, or a prefix of a
                        supported version                  -> ProtocolVersionUnsupported (1005)
    validate(root)      the whole packet fits the shape of its version
                                                           -> MalformedRequest (1014)

Nothing else escapes ``parse_packet`` whatever bytes it is given.

Every protocol version Plesk lists is served (1.0.0.0 through 1.6.9.1), each with the
shape it had: a *shape* is agent.xsd less the operators its version did not have
(OPERATOR_SPANS: ``client`` and ``domain`` until 1.6.3.0, when Plesk 10 replaced them
with ``customer``, ``webspace``, ``site`` and the plans). Versions with the same
operators share one shape, compiled once, on first use, each under its own lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from importlib import resources
from typing import Any, cast

from lxml import etree

from panelkey.core.errors import MalformedRequest, ProtocolVersionUnsupported
from panelkey.xmlapi import budgets

SERVER_PROTOCOL = "1.6.9.1"

# Every protocol version the server answers to, oldest first, newest last
# (server/get_protos lists them in this order).
SUPPORTED_VERSIONS: tuple[str, ...] = (
    "1.0.0.0",
    "1.1.0.0",
    "1.2.0.0",
    "1.3.0.0",
    "1.3.1.0",
    "1.3.2.0",
    "1.3.3.0",
    "1.3.4.0",
    "1.3.5.0",
    "1.4.0.0",
    "1.4.1.0",
    "1.4.1.1",
    "1.4.1.2",
    "1.4.2.0",
    "1.5.0.0",
    "1.5.1.0",
    "1.5.2.0",
    "1.5.2.1",
    "1.6.0.0",
    "1.6.0.1",
    "1.6.0.2",
    "1.6.1.0",
    "1.6.2.0",
    "1.6.3.0",
    "1.6.3.1",
    "1.6.3.2",
    "1.6.3.3",
    "1.6.3.4",
    "1.6.3.5",
    "1.6.4.0",
    "1.6.5.0",
    "1.6.6.0",
    "1.6.7.0",
    "1.6.8.0",
    "1.6.9.0",
    SERVER_PROTOCOL,
)


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# Operators a version range has: operator -> (first version with it, first without it),
# None for open ends. An operator not named here is in every version's shape. Plesk 10
# (protocol 1.6.3.0) brought customer, webspace, site and the plans in place of the
# legacy client and domain (Plesk's reference: "XML API version: 1.6.3.0 and later").
_PLESK_10 = "1.6.3.0"
OPERATOR_SPANS: dict[str, tuple[str | None, str | None]] = {
    "client": (None, _PLESK_10),
    "domain": (None, _PLESK_10),
    "customer": (_PLESK_10, None),
    "webspace": (_PLESK_10, None),
    "site": (_PLESK_10, None),
    "service-plan": (_PLESK_10, None),
    "service-plan-addon": (_PLESK_10, None),
    "reseller-plan": (_PLESK_10, None),
}


def _lacks(version: str) -> frozenset[str]:
    """The operators `version` did not have: the key of its shape."""
    at = _parts(version)
    return frozenset(
        name
        for name, (since, until) in OPERATOR_SPANS.items()
        if (since is not None and at < _parts(since)) or (until is not None and at >= _parts(until))
    )


# Every supported version and each of its whole-part prefixes ("1", "1.6", "1.6.5", ...),
# with the version whose shape it is checked against: a prefix stands for the newest
# version it begins (oldest first, so the newest wins).
_RESOLVED: dict[str, str] = {
    ".".join(version.split(".")[:n]): version
    for version in SUPPORTED_VERSIONS
    for n in range(1, len(version.split(".")) + 1)
}
_ACCEPTED_VERSIONS = frozenset(_RESOLVED)

# Real packets are about seven levels deep; anything past this is hostile.
MAX_DEPTH = 64
# libxml2 quotes names from the request (up to 50,000 characters) in its messages.
_MAX_DETAIL = 300
_MAX_NAME = 64  # an element or attribute name quoted from the request
_MAX_SCHEMA_DETAIL = 2048  # a schema fault: a clipped name and lists from agent.xsd

_INVALID = "Request is invalid."
_DTD_REFUSED = f"{_INVALID} DTD is not allowed"
_ENTITY_REFUSED = f"{_INVALID} Entity references are not allowed"
# A DOCTYPE can only carry entities, so refusing it before parsing keeps
# entity expansion (billion laughs) and external fetches away from libxml2.
# UTF-16 bodies are caught after parsing, from the document's DTD.
# (Searched one by one: `in` is a fast search in C, an alternation in `re` is not.)
_DTD_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)

# A big body naming a filter is parsed a slice at a time, its filters counted between two.
_FILTER_MARKERS = tuple("<filter".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_SLICE = 4 * 1024  # past the budget by at most about 300 items of a slice
_MARKER_SPAN = max(len(m) for m in _DTD_MARKERS) - 1  # bytes a marker may have in a slice before

_SCHEMA_RESOURCE = ("panelkey.xmlapi", "agent.xsd")
_XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def parse_packet(body: bytes, filter_items: int | None = None) -> etree._Element:
    """Parse a request body into its ``<packet>`` root element.

    Raises MalformedRequest for an empty body, XML that is not well formed, any
    DTD or entity reference, elements nested deeper than MAX_DEPTH, or a root
    other than ``packet``; never any other exception but, with `filter_items` given,
    LimitReached as soon as the operations' filters are read to name more objects
    than that (the rest of the body unread: it may hold anything).
    """
    data = bytes(body)
    if not data or data.isspace():
        raise MalformedRequest(f"{_INVALID} The request body is empty")
    counted = filter_items is not None and len(data) > _BIG
    counted = counted and any(marker in data for marker in _FILTER_MARKERS)
    # Counted: each slice is searched for a DTD as it is fed (the part never read is
    # never searched: six searches of a 270 KB body cost more than refusing it).
    if not counted and _holds_dtd(data):
        raise MalformedRequest(_DTD_REFUSED)
    try:
        if counted:
            assert filter_items is not None
            root = _parse_counting_filters(data, filter_items)
        else:
            root = etree.fromstring(data, _hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedRequest(_syntax_error_text(exc)) from None
    except (etree.LxmlError, ValueError) as exc:
        raise MalformedRequest(f"{_INVALID} XML parse error: {_clip(str(exc))}") from None
    if not isinstance(root, etree._Element):
        raise MalformedRequest(f"{_INVALID} The request holds no XML document")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MalformedRequest(_DTD_REFUSED)
    if len(data) >= _DEEP_ENOUGH:
        _check_nodes(root, len(data) > _BIG)
    if root.tag != "packet":
        raise MalformedRequest(
            f"{_INVALID} Error in line {_line(root)}: "
            + _clip(f"root element '{root.tag}' is not expected; expected (packet)")
        )
    return root


def check_version(packet: etree._Element) -> None:
    """Accept a packet whose ``version`` is absent, supported, or a prefix of one.

    A prefix is compared part by part: ``1.6`` and ``1.6.5`` are prefixes of
    ``1.6.5.0``; ``1.6.`` and ``1.60`` are not. Raises ProtocolVersionUnsupported.
    """
    requested = packet.get("version")
    if requested is None or requested.strip() in _ACCEPTED_VERSIONS:
        return
    raise ProtocolVersionUnsupported("XML API protocol version not supported.")


def version_of(packet: etree._Element) -> str:
    """The protocol version a checked packet speaks: the one it names, the newest one
    a prefix begins, or the server's own when it names none."""
    requested = packet.get("version")
    if requested is None:
        return SERVER_PROTOCOL
    return _RESOLVED.get(requested.strip(), SERVER_PROTOCOL)


def validate(packet: etree._Element) -> None:
    """Check the whole packet against the shape of its version (see version_of).

    Raises MalformedRequest naming the line and the element of the first fault,
    e.g. ``Request is invalid. Error in line 3: element 'secret-key' is not
    expected; expected one of (secret_key, customer, server, webspace, site, dns)``.
    """
    shape = _SHAPE_OF[version_of(packet)]
    with shape.lock:
        schema = shape.schema()
        if schema.validate(packet):
            return
        fault = next(iter(cast(Iterable[Any], schema.error_log)), None)
    if fault is None:
        raise MalformedRequest(f"{_INVALID} The packet does not fit the schema")
    line = int(fault.line) or _line(packet) or 0
    text = _schema_error_text(str(fault.message), str(fault.path or ""), shape)
    raise MalformedRequest(f"{_INVALID} Error in line {line}: {_clip(text, _MAX_SCHEMA_DETAIL)}")


# ---------------------------------------------------------------- parsing


_parsers = threading.local()
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "dtd_validation": False,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": False,
}


def _hardened_parser() -> etree.XMLParser:
    # One parser per thread: lxml parsers must not be shared between threads, and
    # making one per call costs more than parsing a small packet.
    parser: etree.XMLParser | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = etree.XMLParser(**_PARSER_OPTIONS)
        _parsers.parser = parser
    return parser


def _parse_counting_filters(data: bytes, limit: int) -> etree._Element:
    """`data` parsed as `parse_packet` does, fed to libxml2 a slice at a time; between two
    slices, the items of the operations' filters read so far are counted (in C), and
    LimitReached raised once they pass `limit`: a 20,000-item filter costs the parse of
    its first thousand items, not of all (and not the budgets' walk of every element)."""
    parser = etree.XMLPullParser(events=("start",), tag="filter", **_PARSER_OPTIONS)
    filters: list[etree._Element] = []
    done = 0  # items of the filters before the last (closed: an operation's filters are
    # siblings' children, so one starts after the one before has ended)
    at = 0
    while at < len(data):
        # Slices end after a '>', so that no item is cut in two between them.
        end = data.find(b">", at + _SLICE) + 1 or len(data)
        if _holds_dtd(data[max(0, at - _MARKER_SPAN) : end]):  # a marker across slices too
            raise MalformedRequest(_DTD_REFUSED)
        parser.feed(data[at:end])
        at = end
        for _, event in parser.read_events():
            started = cast(etree._Element, event)
            if _is_operations_filter(started):
                done += len(filters[-1]) if filters else 0
                filters.append(started)
        if filters and done + len(filters[-1]) > limit:
            read = sum(int(cast(float, f.xpath("count(*)"))) for f in filters)
            if read > limit:
                raise budgets.filter_items_past(limit, read, at, len(data))
    root: etree._Element = parser.close()
    return root


def _is_operations_filter(node: etree._Element) -> bool:
    """Whether `node` is an operation's filter: packet/operator/operation/filter."""
    operation = node.getparent()
    operator = operation.getparent() if operation is not None else None
    packet = operator.getparent() if operator is not None else None
    return packet is not None and packet.getparent() is None


def _holds_dtd(data: bytes) -> bool:
    return any(marker in data for marker in _DTD_MARKERS)


_LXML_POSITION = re.compile(r", line \d+, column \d+$")


def _syntax_error_text(exc: etree.XMLSyntaxError) -> str:
    # exc.error_log may hold stale entries from earlier parses; exc.msg is this one.
    message = _LXML_POSITION.sub("", str(exc.msg or exc))
    line = exc.lineno or 1
    if "depth" in message.lower():
        # libxml2 stops at 256 levels on its own; report it as our own limit.
        return _depth_error_text(line)
    return f"{_INVALID} XML parse error in line {line}: {_clip(message)}"


def _depth_error_text(line: int | None) -> str:
    return f"{_INVALID} Error in line {line}: elements are nested deeper than {MAX_DEPTH} levels"


def _clip(text: str, limit: int = _MAX_DETAIL) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _clip_name(name: str) -> str:
    return _clip(name, _MAX_NAME)


def _line(node: etree._Element) -> int | None:
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
            raise MalformedRequest(_depth_error_text(_line(deeper[0])))
        return
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedRequest(_depth_error_text(_line(node)))
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


# ------------------------------------------------------------- validation


class _Shape:
    """agent.xsd less the operators `lacks` names, compiled on first use. Call `schema`
    with `lock` held: an lxml schema and its error log serve one thread at a time."""

    def __init__(self, lacks: frozenset[str]) -> None:
        self.lacks = lacks
        self.lock = threading.Lock()
        self._loaded: etree.XMLSchema | None = None
        # Allowed children of the packet and of each operator, read from the document:
        # libxml2 leaves out the "expected" list once a repeated choice is satisfied.
        self.operators: tuple[str, ...] = ()
        self.operations: dict[str, tuple[str, ...]] = {}

    def schema(self) -> etree.XMLSchema:
        if self._loaded is None:
            document = _agent_schema_document()
            for name in self.lacks:
                for declared in cast(
                    list[etree._Element],
                    document.xpath(_PACKET_CHOICE + "[@name=$name]", namespaces=_XS, name=name),
                ):
                    parent = declared.getparent()
                    assert parent is not None
                    parent.remove(declared)
            self.operators, self.operations = _children_of_operators(document)
            self._loaded = etree.XMLSchema(document)
        return self._loaded


_PACKET_CHOICE = "xs:element[@name='packet']//xs:choice/xs:element"
# One shape per distinct set of operators, made when the module loads (so no lock is
# needed to find one); each compiles its schema once, on first use.
_SHAPES: dict[frozenset[str], _Shape] = {
    lacks: _Shape(lacks) for lacks in {_lacks(v) for v in SUPPORTED_VERSIONS}
}
_SHAPE_OF: dict[str, _Shape] = {v: _SHAPES[_lacks(v)] for v in SUPPORTED_VERSIONS}


def _agent_schema_document() -> etree._Element:
    """agent.xsd with every schema/*.xsd inlined: one file per operator, read in one place."""
    package, name = _SCHEMA_RESOURCE
    folder = resources.files(package)
    document = etree.fromstring(folder.joinpath(name).read_bytes(), _hardened_parser())
    parts = sorted(
        (item for item in folder.joinpath("schema").iterdir() if item.name.endswith(".xsd")),
        key=lambda item: item.name,
    )
    for part in parts:
        included = etree.fromstring(part.read_bytes(), _hardened_parser())
        document.extend(child for child in included if isinstance(child.tag, str))
    return document


def _children_of_operators(
    document: etree._Element,
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    operators = cast(list[etree._Element], document.xpath(_PACKET_CHOICE, namespaces=_XS))
    operations: dict[str, tuple[str, ...]] = {}
    for operator in operators:
        names = cast(
            list[str],
            document.xpath(
                "xs:complexType[@name=$type]/xs:choice/xs:element/@name",
                namespaces=_XS,
                type=operator.get("type", ""),
            ),
        )
        operations[operator.get("name", "")] = tuple(str(name) for name in names)
    return tuple(operator.get("name", "") for operator in operators), operations


_LXML_ELEMENT = re.compile(
    r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: (?P<detail>.*)",
    re.DOTALL,
)
_NOT_EXPECTED = re.compile(
    r"This element is not expected\.(?: Expected is (?P<one_of>one of )?\( (?P<names>.*) \)\.)?",
    re.DOTALL,
)
_MISSING = re.compile(
    r"Missing child element\(s\)\. Expected is (?P<one_of>one of )?\( (?P<names>.*) \)\.",
    re.DOTALL,
)
# A Flag (agent.xsd) holding text: libxml2 reports the maxLength facet.
_MUST_BE_EMPTY = re.compile(r"\[facet 'maxLength'\] .* allowed maximum length of '0'\.", re.DOTALL)
_PATH_STEP_INDEX = re.compile(r"\[\d+\]$")


def _schema_error_text(message: str, path: str, shape: _Shape) -> str:
    """Rewrite one libxml2 schema message in the spec's shape (see validate)."""
    message = message.strip()
    found = _LXML_ELEMENT.fullmatch(message)
    if found is None:
        return _sentence(message)
    element, attribute, detail = found["element"], found["attribute"], found["detail"]
    # The names come from the request and are clipped; the expected lists come from
    # agent.xsd and are kept whole, however many operators it lists.
    element = _clip_name(element)
    attribute = None if attribute is None else _clip_name(attribute)
    if attribute is not None:
        return f"element '{element}', attribute '{attribute}': {_sentence(detail)}"
    not_expected = _NOT_EXPECTED.fullmatch(detail)
    if not_expected is not None:
        text = f"element '{element}' is not expected"
        if not_expected["names"] is not None:
            return text + _expected(not_expected["names"], bool(not_expected["one_of"]))
        siblings = _allowed_siblings(path, shape)
        return text + (_expected(", ".join(siblings), True) if siblings else "")
    if _MUST_BE_EMPTY.fullmatch(detail):
        return f"element '{element}' must be empty"
    missing = _MISSING.fullmatch(detail)
    if missing is not None:
        names, one_of = missing["names"], bool(missing["one_of"])
        return f"element '{element}' is missing a child element" + _expected(names, one_of)
    return f"element '{element}': {_sentence(detail)}"


def _expected(names: str, one_of: bool) -> str:
    return f"; expected {'one of ' if one_of else ''}({names.strip()})"


def _allowed_siblings(path: str, shape: _Shape) -> tuple[str, ...]:
    """The packet's or an operator's allowed children, for an error at ``path``."""
    steps = [_PATH_STEP_INDEX.sub("", step) for step in path.split("/") if step]
    if len(steps) == 2 and steps[0] == "packet":
        return shape.operators
    if len(steps) == 3 and steps[0] == "packet":
        return shape.operations.get(steps[1], ())
    return ()


def _sentence(detail: str) -> str:
    """libxml2's sentence as a clause: lower-case first word, no final period."""
    detail = detail.strip().removesuffix(".")
    if len(detail) > 1 and detail[0].isupper() and detail[1].islower():
        detail = detail[0].lower() + detail[1:]
    return detail
