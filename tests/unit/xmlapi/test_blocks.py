"""Settings blocks on the wire: what a request's block says is what the core stores and
what the answer renders back (xmlapi/blocks.py over core/plans/settings.py)."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.errors import InvalidValue
from panelkey.core.plans.settings import BLOCKS, LIMITS, PERMISSIONS
from panelkey.xmlapi import blocks
from panelkey.xmlapi.parsing import parse_packet
from panelkey.xmlapi.validation import validate


def _stored(xml: str, block: str) -> dict[str, str]:
    return BLOCKS[block].check(blocks.read(etree.fromstring(xml), block))


def _valid(inner: str) -> None:
    validate(parse_packet(f'<packet version="1.6.9.1">{inner}</packet>'.encode()))


def test_prefs_take_outgoing_limit_and_icp_in_any_order() -> None:
    xml = (
        "<prefs><icp-permit>ICP 123</icp-permit><icp-status>true</icp-status>"
        "<outgoing-messages-domain-limit>250</outgoing-messages-domain-limit><www>false</www>"
        "</prefs>"
    )
    stored = _stored(xml, "prefs")
    assert stored == {
        "icp-permit": "ICP 123",
        "icp-status": "true",
        "outgoing-messages-domain-limit": "250",
        "www": "false",
    }
    answer = blocks.render_block("prefs", "prefs", BLOCKS["prefs"].effective(stored))
    assert answer.findtext("icp-permit") == "ICP 123"
    assert answer.findtext("icp-status") == "true"
    assert answer.findtext("outgoing-messages-domain-limit") == "250"
    assert answer.findtext("stat_ttl") == "3"


@pytest.mark.parametrize("value", ["default", "unlimited", "0", "100"])
def test_outgoing_limits_take_plesk_values(value: str) -> None:
    xml = f"<prefs><outgoing-messages-domain-limit>{value}</outgoing-messages-domain-limit></prefs>"
    assert _stored(xml, "prefs") == {"outgoing-messages-domain-limit": value}


@pytest.mark.parametrize("value", ["-5", "lots", "1.5", ""])
def test_a_bad_outgoing_limit_is_refused(value: str) -> None:
    xml = f"<prefs><outgoing-messages-domain-limit>{value}</outgoing-messages-domain-limit></prefs>"
    with pytest.raises(InvalidValue):
        _stored(xml, "prefs")


def test_mail_preferences_round_trip() -> None:
    xml = (
        "<mail><greylisting>false</greylisting><nonexistent-user><forward>a@b.test</forward>"
        "</nonexistent-user><webmail>horde</webmail><spam-protect-sign>true</spam-protect-sign>"
        "<outgoing-messages-mbox-limit>10</outgoing-messages-mbox-limit>"
        "<outgoing-messages-subscription-limit>unlimited</outgoing-messages-subscription-limit>"
        "<outgoing-messages-enable-sendmail>false</outgoing-messages-enable-sendmail>"
        "<outgoing-messages-overlimit-percent>20</outgoing-messages-overlimit-percent></mail>"
    )
    stored = _stored(xml, "mail")
    assert stored["nonexistent-user"] == "forward"
    assert stored["nonexistent-user-target"] == "a@b.test"
    assert stored["outgoing-messages-enable-sendmail"] == "false"
    answer = blocks.render_block("mail", "mail", BLOCKS["mail"].effective(stored))
    assert answer.findtext("nonexistent-user/forward") == "a@b.test"
    assert answer.findtext("webmail") == "horde"
    assert answer.findtext("greylisting") == "false"
    assert answer.findtext("spam-protect-sign") == "true"
    assert answer.findtext("outgoing-messages-mbox-limit") == "10"
    assert answer.findtext("outgoing-messages-domain-limit") == "default"
    assert answer.findtext("outgoing-messages-subscription-limit") == "unlimited"
    assert answer.findtext("outgoing-messages-overlimit-percent") == "20"


def test_enable_sendmail_is_true_false_or_default() -> None:
    tag = "outgoing-messages-enable-sendmail"
    xml = f"<mail><{tag}>maybe</{tag}></mail>"
    with pytest.raises(InvalidValue):
        _stored(xml, "mail")


def test_all_to_zero_sets_every_amount_and_keeps_named_limits() -> None:
    xml = (
        "<limits><overuse>block</overuse><all-to-zero/>"
        "<limit><name>max_db</name><value>5</value></limit></limits>"
    )
    stored = _stored(xml, "limits")
    amounts = [s.name for s in LIMITS.settings if s.type in ("int", "bytes")]
    assert len(amounts) > 10
    assert all(stored[n] == "0" for n in amounts if n != "max_db")
    assert stored["max_db"] == "5"
    assert stored["overuse"] == "block"
    assert "expiration" not in stored


def test_revoke_all_sets_every_permission_false_and_keeps_named_ones() -> None:
    xml = (
        "<permissions><permission><name>manage_dns</name><value>true</value></permission>"
        "<revoke-all/></permissions>"
    )
    stored = _stored(xml, "permissions")
    assert set(stored) == {s.name for s in PERMISSIONS.settings}
    assert stored["manage_dns"] == "true"
    assert stored["manage_phosting"] == "false"


def test_without_all_to_zero_or_revoke_all_only_named_settings_change() -> None:
    limit = "<limits><limit><name>max_db</name><value>2</value></limit></limits>"
    assert _stored(limit, "limits") == {"max_db": "2"}
    assert _stored("<permissions/>", "permissions") == {}


def test_performance_round_trip() -> None:
    xml = (
        "<performance><bandwidth>1000</bandwidth>"
        "<max_connections>20</max_connections></performance>"
    )
    stored = _stored(xml, "performance")
    assert stored == {"bandwidth": "1000", "max_connections": "20"}
    answer = blocks.render_block("performance", "performance", stored)
    assert answer.findtext("bandwidth") == "1000"
    assert answer.findtext("max_connections") == "20"


def test_the_schema_takes_the_new_elements() -> None:
    _valid(
        "<service-plan><add><name>p</name>"
        "<mail><outgoing-messages-overlimit-percent>5</outgoing-messages-overlimit-percent>"
        "<maillists>true</maillists><webmail>horde</webmail></mail>"
        "<limits><all-to-zero/><limit><name>max_db</name><value>1</value></limit></limits>"
        "<preferences><mailservice>false</mailservice></preferences>"
        "<permissions><revoke-all/></permissions></add></service-plan>"
    )
