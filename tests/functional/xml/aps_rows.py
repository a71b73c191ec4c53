"""Rows of the APS, extension and branding operations, and the runner they share (a copy
of tests/functional/xml_tier1/test_every_operation.py's, until one runner serves every
table): per operation the happy path, an element out of order (1014 naming it), an
unknown object (1013 with Plesk's text) and a caller without rights.

The scene: tests/functional/xml_domains' world (reseller rick with customer carol and
webspace carol.example, the admin's customer dave with dave.example), the admin's service
plan Basic, add-on Extra and reseller plan RP, and WordPress downloaded from the catalogue.
Packets may name ``{wp}`` (its package id), ``{task}`` (its download task), ``{rick}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error
from tests.functional.xml_domains.conftest import World


@dataclass(frozen=True)
class Case:
    operator: str
    operation: str
    good: str
    misordered: str  # a packet (inner of the operator) with `late` out of place
    late: str
    unknown: str | None  # inner of the operation
    missing: str  # Plesk's 1013 text for `unknown`
    caller: str | None  # "rick", "carol" or "dave": runs `good` without the right
    denied: int = 1006
    before: str = ""  # packets (inner of <packet>) sent first

    @property
    def id(self) -> str:
        return f"{self.operator}/{self.operation}"


@dataclass
class Scene:
    world: World
    values: dict[str, str]

    def key(self, login: str) -> str:
        return {
            "rick": self.world.reseller.key,
            "carol": self.world.carol.key,
            "dave": self.world.dave.key,
        }[login]

    def fill(self, text: str) -> str:
        return text.format(**self.values)


def ok(root: etree._Element, path: str) -> list[etree._Element]:
    found = results(root, path)
    assert found, etree.tostring(root)
    for r in found:
        assert r.findtext("status") == "ok", etree.tostring(r)
    return found


def make_scene(xml: XmlClient, world: World) -> Scene:
    for packet in (
        "<service-plan><add><name>Basic</name></add></service-plan>",
        "<service-plan-addon><add><name>Extra</name></add></service-plan-addon>",
        "<reseller-plan><add><name>RP</name></add></reseller-plan>",
    ):
        ok(xml.call(packet), packet[1 : packet.index(">")] + "/add")
    (task,) = ok(
        xml.call("<aps><download-package><package><name>WordPress</name></package>"
                 "</download-package></aps>"),
        "aps/download-package",
    )  # fmt: skip
    (status,) = ok(
        xml.call(
            f"<aps><get-download-status><filter><task-id>{task.findtext('task-id')}</task-id>"
            "</filter></get-download-status></aps>"
        ),
        "aps/get-download-status",
    )
    values = {
        "task": task.findtext("task-id") or "",
        "wp": status.findtext("finished/package-id") or "",
        "rick": str(world.reseller.account.id),
    }
    assert values["wp"], etree.tostring(status)
    return Scene(world, values)


def _send(
    xml: XmlClient, scene: Scene, case: Case, inner: str, key: str | None = None
) -> etree._Element:
    body = scene.fill(
        f"<{case.operator}><{case.operation}>{inner}</{case.operation}></{case.operator}>"
    )
    return xml.call(body, key=key)


def run(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    """Refusals first, each writing nothing; then the happy path."""
    if case.before:
        root = xml.call(scene.fill(case.before))
        for operator in root:
            for operation in operator:
                ok(root, f"{operator.tag}/{operation.tag}")
    before = len(panel.events.list())
    # element out of order: 1014 naming it
    root = xml.call(scene.fill(f"<{case.operator}>{case.misordered}</{case.operator}>"))
    code, text = system_error(root)
    assert code == 1014, text
    assert f"'{case.late}'" in text and "Error in line" in text, text
    # an unknown object: 1013 with Plesk's text
    if case.unknown is not None:
        (result,) = results(_send(xml, scene, case, case.unknown), case.id)
        assert error_of(result) == (1013, case.missing)
    # a caller without rights
    if case.caller is not None:
        found = results(_send(xml, scene, case, case.good, key=scene.key(case.caller)), case.id)
        assert found
        for result in found:
            assert error_of(result)[0] == case.denied, etree.tostring(result)
    assert len(panel.events.list()) == before
    if case.caller is None:
        ok(_send(xml, scene, case, case.good, key=scene.key("carol")), case.id)
    # the happy path
    ok(_send(xml, scene, case, case.good), case.id)


def parametrize(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=lambda c: c.id)
