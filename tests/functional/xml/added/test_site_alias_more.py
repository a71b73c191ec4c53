"""Operator site-alias, beyond tier 2: get-supported-services (a row, from
tests/functional/xml/rows.py): the services an alias turns on or off, for every
account."""

from __future__ import annotations

import pytest

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, run
from tests.functional.xml.xml_helpers import XmlClient, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

CASES = [
    Case(
        "site-alias",
        "get-supported-services",
        "",
        "<get-supported-services><x/></get-supported-services>",
        "get-supported-services",
        None,  # names no object
        "",
        None,  # every account
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def test_web_mail_and_tomcat_as_on_plesk_for_linux(xml: XmlClient, world: World) -> None:
    for key in (None, world.carol.key):
        root = xml.call("<site-alias><get-supported-services/></site-alias>", key=key)
        (result,) = results(root, "site-alias/get-supported-services")
        assert [(c.tag, c.text) for c in result] == [
            ("status", "ok"),
            ("service", "web"),
            ("service", "mail"),
            ("service", "tomcat"),
        ]
