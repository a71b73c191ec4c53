"""Every operation of the registry refuses a string field of 1 MiB with a Plesk error,
never a server error: the every-operation table's happy packet of each (operation_table.py)
with its first text made 1 MiB long. With the body budget raised past it, the packet's
field budget (budgets.py) refuses it (1019) before anything runs; within the default
budget the body is refused unread (HTTP 413)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.journal.redact import BODY_LIMIT, redact_xml
from panelkey.xmlapi.operators import OPERATORS
from tests.conftest import CHEAP_HASHES
from tests.functional.xml.operation_table import Case
from tests.functional.xml.test_every_operation import _rows
from tests.functional.xml.xml_helpers import BOTH, XmlClient, packet, parse, system_code

MIB = 1024 * 1024
CASES = [case for _, case in _rows()]


def _with_long_text(case: Case) -> str:
    """The case's happy packet (inner of the packet), its first text 1 MiB long."""
    good = re.sub(r"{\w+}", "1", case.good)
    op = etree.fromstring(f"<{case.operation}>{good}</{case.operation}>")
    leaves = [e for e in op.iter() if len(e) == 0 and (e.text or "").strip()]
    target = leaves[0] if leaves else op
    target.text = "a" * MIB
    return f"<{case.operator}>{etree.tostring(op, encoding='unicode')}</{case.operator}>"


@pytest.fixture
def roomy(panel: Panel, admin_key: str, tmp_path: Path) -> XmlClient:
    """The XML face with a body budget of 4 MiB: a 1 MiB field reaches the packet's checks."""
    flags = {"data_dir": str(tmp_path), "max_body": str(4 * MIB), **CHEAP_HASHES}
    settings = load_settings(flags, environ={})
    return XmlClient(Context(panel, settings, LivePanelIni(settings.panel_ini)), admin_key)


def test_every_operation_of_the_registry_has_a_case() -> None:
    served = {(operator, op) for operator, operations in OPERATORS.items() for op in operations}
    assert {(c.operator, c.operation) for c in CASES} == served


def test_a_1_mib_field_of_every_operation_is_refused_by_the_field_budget(
    roomy: XmlClient,
) -> None:
    for case in CASES:
        response = roomy.request(
            packet(_with_long_text(case), case.version), {"KEY": str(roomy.key)}
        )
        assert response.status_code == 200, (str(case), response.status_code)
        code, text = system_code(parse(response))
        assert code == 1019 and "at most" in text, (str(case), code, text)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_1_mib_field_within_the_default_body_budget_is_refused_unread(
    xml: XmlClient,
) -> None:
    for case in CASES[:: max(1, len(CASES) // 10)]:
        response = xml.request(packet(_with_long_text(case), case.version), {"KEY": str(xml.key)})
        assert response.status_code == 413, str(case)


def test_the_journal_redacts_a_long_key_element_in_linear_time() -> None:
    """The journal keeps 64 KiB of a body and redacts it as text: a `<key>` of spaces then
    a letter took its digits rule minutes (every split of the spaces tried). No time is
    asserted: a quadratic rule makes this test pass the suite's timeout."""
    spaces = " " * (BODY_LIMIT - 100)
    body = f"<packet><secret_key><delete><key>{spaces}x</key></delete></secret_key></packet>"
    assert "x</key>" not in redact_xml(body)
    digits = f"<packet><secret_key><delete><key>{spaces}17{spaces[:9]}</key></delete>"
    assert f"{spaces}17" in redact_xml(digits)  # a key's id is no secret: kept
