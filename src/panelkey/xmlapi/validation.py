"""The whole packet checked against the shape of its version (versions.py):

    validate(root)      the whole packet fits the shape of its version
                                                           -> MalformedRequest (1014)

Versions with the same operators share one shape, compiled once, on first use, each
under its own lock. libxml2's messages are rewritten in the spec's shape (schema_errors.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from importlib import resources
from typing import Any, cast

from lxml import etree

from panelkey.core.errors import MalformedRequest
from panelkey.xmlapi.parsing import INVALID, clip, hardened_parser, line_of
from panelkey.xmlapi.schema_errors import schema_error_text
from panelkey.xmlapi.versions import SUPPORTED_VERSIONS, lacks, version_of

_MAX_SCHEMA_DETAIL = 2048  # a schema fault: a clipped name and lists from agent.xsd
_SCHEMA_RESOURCE = ("panelkey.xmlapi", "agent.xsd")
_XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def validate(packet: etree._Element, version: str | None = None) -> None:
    """Check the whole packet against the shape of `version` (by default its own, see
    version_of).

    Raises MalformedRequest naming the line and the element of the first fault,
    e.g. ``Request is invalid. Error in line 3: element 'secret-key' is not
    expected; expected one of (secret_key, customer, server, webspace, site, dns)``.
    """
    shape = _SHAPE_OF[version or version_of(packet)]
    with shape.lock:
        schema = shape.compiled or shape.schema()
        if schema.validate(packet):
            return
        fault = next(iter(cast(Iterable[Any], schema.error_log)), None)
    if fault is None:
        raise MalformedRequest(f"{INVALID} The packet does not fit the schema")
    line = int(fault.line) or line_of(packet) or 0
    text = schema_error_text(
        str(fault.message), str(fault.path or ""), shape.operators, shape.operations
    )
    raise MalformedRequest(f"{INVALID} Error in line {line}: {clip(text, _MAX_SCHEMA_DETAIL)}")


class _Shape:
    """agent.xsd less the operators `lacks` names, compiled on first use. Call `schema`
    with `lock` held: an lxml schema and its error log serve one thread at a time."""

    def __init__(self, lacks: frozenset[str]) -> None:
        self.lacks = lacks
        self.lock = threading.Lock()
        self.compiled: etree.XMLSchema | None = None  # once `schema` has compiled it
        # Allowed children of the packet and of each operator, read from the document:
        # libxml2 leaves out the "expected" list once a repeated choice is satisfied.
        self.operators: tuple[str, ...] = ()
        self.operations: dict[str, tuple[str, ...]] = {}

    def schema(self) -> etree.XMLSchema:
        if self.compiled is None:
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
            self.compiled = etree.XMLSchema(document)
        return self.compiled


_PACKET_CHOICE = "xs:element[@name='packet']//xs:choice/xs:element"
# One shape per distinct set of operators, made when the module loads (so no lock is
# needed to find one); each compiles its schema once, on first use.
_SHAPES: dict[frozenset[str], _Shape] = {
    key: _Shape(key) for key in {lacks(v) for v in SUPPORTED_VERSIONS}
}
_SHAPE_OF: dict[str, _Shape] = {v: _SHAPES[lacks(v)] for v in SUPPORTED_VERSIONS}


def _agent_schema_document() -> etree._Element:
    """agent.xsd with every schema/*.xsd inlined: one file per operator, read in one place."""
    package, name = _SCHEMA_RESOURCE
    folder = resources.files(package)
    document = etree.fromstring(folder.joinpath(name).read_bytes(), hardened_parser())
    parts = sorted(
        (item for item in folder.joinpath("schema").iterdir() if item.name.endswith(".xsd")),
        key=lambda item: item.name,
    )
    for part in parts:
        included = etree.fromstring(part.read_bytes(), hardened_parser())
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
