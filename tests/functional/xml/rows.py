"""One row per operation, as tests/functional/xml_tier1/test_every_operation.py runs them:
the happy path, an element out of order (1014 naming it), an unknown object (1013 with
Plesk's text) and a caller without rights, each refusal writing nothing.

A copy of that file's runner, with `before` (packets sent first, as the admin) and a
scene of its own, until one shared runner serves every table. The scene is the world of
tests/functional/xml_domains (reseller rick with customer carol: carol.example and
blog.carol.example; the admin's customer dave: dave.example) with a protected directory
`private` on blog.carol.example holding user `reader`. Packets may name
``{carol_ws}``, ``{carol_site}``, ``{dave_ws}``, ``{rick}``, ``{carol}``, ``{dave}``,
``{pd}``, ``{pd_user}``, and ``{b0}``, ``{b1}``... the ids `before` was answered, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from panelkey.core.identity import Identity
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
    before: str = ""  # packets sent first, as the admin

    @property
    def id(self) -> str:
        return f"{self.operator}/{self.operation}"


def ok(root: etree._Element, path: str) -> list[etree._Element]:
    found = results(root, path)
    assert found, etree.tostring(root)
    for r in found:
        assert r.findtext("status") == "ok", etree.tostring(r)
    return found


def _values(panel: Panel, admin: Identity, world: World) -> dict[str, str]:
    site = panel.domains.get(admin, world.carol_site)
    pd = panel.protected_dirs.create(admin, site, "private")
    user = panel.protected_dirs.add_user(admin, pd, "reader", "Reader-secret-42")
    return {
        "carol_ws": str(world.carol_ws),
        "carol_site": str(world.carol_site),
        "dave_ws": str(world.dave_ws),
        "rick": str(world.reseller.account.id),
        "carol": str(world.carol.account.id),
        "dave": str(world.dave.account.id),
        "pd": str(pd.id),
        "pd_user": str(user.id),
    }


def run(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    """Refusals first, each writing nothing; then the happy path."""
    values = _values(panel, admin, world)
    if case.before:
        answered = xml.call(case.before.format(**values))
        for i, made in enumerate(answered.iter("id")):
            values[f"b{i}"] = made.text or ""

    def send(inner: str, key: str | None = None) -> etree._Element:
        body = f"<{case.operator}><{case.operation}>{inner}</{case.operation}></{case.operator}>"
        return xml.call(body.format(**values), key=key)

    keys = {"rick": world.reseller.key, "carol": world.carol.key, "dave": world.dave.key}
    before = len(panel.events.list())
    # element out of order: 1014 naming it
    root = xml.call(f"<{case.operator}>{case.misordered}</{case.operator}>".format(**values))
    code, text = system_error(root)
    assert code == 1014, text
    assert f"'{case.late}'" in text and "Error in line" in text, text
    # an unknown object: 1013 with Plesk's text
    if case.unknown is not None:
        found = results(send(case.unknown), case.id)
        assert found
        for result in found:
            assert error_of(result) == (1013, case.missing)
    # a caller without rights
    if case.caller is not None:
        found = results(send(case.good, key=keys[case.caller]), case.id)
        assert found
        for result in found:
            assert error_of(result)[0] == case.denied, etree.tostring(result)
    assert len(panel.events.list()) == before
    if case.caller is None:
        # Open to every account: a customer is answered.
        ok(send(case.good, key=keys["carol"]), case.id)
    # the happy path
    ok(send(case.good), case.id)
