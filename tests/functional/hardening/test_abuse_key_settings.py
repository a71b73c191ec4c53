"""The wrong-key throttle has settings of its own ([panelkey] keyThrottle*, issue 24):
how many unknown keys from one source throttle it, and for how long; by default ten
times loginLockoutFailures in a minute, as before."""

from __future__ import annotations

import uuid

from panelkey.config import load_settings
from panelkey.core.panel import Panel
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import XmlClient, system_error

PROTOS = "<server><get_protos/></server>"
SOURCE = "203.0.113.40"


def _wrong_keys(xml: XmlClient, count: int) -> list[int]:
    return [
        system_error(xml.call(PROTOS, key=str(uuid.uuid4()), address=SOURCE))[0]
        for _ in range(count)
    ]


def _throttled(panel: Panel) -> list[str]:
    panel.auth.flush_usage()
    return [
        e.detail
        for e in panel.audit.entries(failures_only=True)
        if e.source_ip == SOURCE and e.reason == "locked out"
    ]


def test_key_throttle_failures_sets_how_many_wrong_keys_throttle_a_source(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(key_throttle_failures="3", key_throttle_time="120", lockout_delay="0")
    assert _wrong_keys(xml, 3) == [11003] * 3
    assert not _throttled(panel)
    _wrong_keys(xml, 1)  # the first past the count: refused unlooked up
    (detail,) = _throttled(panel)
    assert "locked out for 120 more seconds" in detail and "repeated wrong keys" in detail


def test_the_key_throttle_follows_login_lockout_failures_by_default() -> None:
    settings = load_settings({"lockout_failures": "7"}, environ={})
    assert settings.key_throttle_failures == 70
    assert (settings.key_throttle_window, settings.key_throttle_time) == (60.0, 60.0)
    assert settings.key_throttle_max_time == 3600.0
    assert load_settings({"key_throttle_failures": "0"}, environ={}).key_throttle_failures == 0
