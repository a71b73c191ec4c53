"""The table behind the request-shape tests: every line of request-shapes.md (a copy of
the spec's list of what Plesk 1.6.9.1 accepts and panelkey once refused) is a `Case`.

A case sends a packet that uses the line's element and reads its effect back, through
the XML face, over one store per test module (the `shape_world` fixture). Cases make
their own objects (`World.fresh` names them), so they run in any order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, results

SPEC = Path(__file__).with_name("request-shapes.md")
_HEADING = re.compile(r"^## `(?P<op>[^`]+)`\s*$")


def spec_lines() -> list[str]:
    """Every line of the spec as `operator/operation: item`."""
    lines: list[str] = []
    op = ""
    for raw in SPEC.read_text().splitlines():
        heading = _HEADING.match(raw)
        if heading:
            op = heading["op"]
        elif raw.startswith("- ") and op:
            lines.append(f"{op}: {raw[2:].strip()}")
    return lines


@dataclass
class World:
    """One store for a module's cases: the XML face with the admin's key, and a counter
    for fresh names."""

    panel: Panel
    xml: XmlClient
    _count: itertools.count[int]

    def fresh(self, stem: str) -> str:
        return f"{stem}{next(self._count)}"

    def call(self, inner: str, version: str | None = "1.6.9.1") -> etree._Element:
        return self.xml.call(inner, version=version)

    def ok(self, inner: str, path: str) -> list[etree._Element]:
        """The results under `path`, each checked to say ok."""
        root = self.call(inner)
        found = results(root, path)
        assert found, etree.tostring(root).decode()
        for result in found:
            assert result.findtext("status") == "ok", etree.tostring(result).decode()
        return found


@dataclass(frozen=True)
class Case:
    """`line` is the spec's line (`operator/operation: item`); `run` sends the packet
    and asserts the effect."""

    line: str
    run: Callable[[World], None]


def by_line(cases: list[Case]) -> dict[str, Case]:
    table: dict[str, Case] = {}
    for case in cases:
        assert case.line not in table, f"two cases for {case.line}"
        table[case.line] = case
    return table
