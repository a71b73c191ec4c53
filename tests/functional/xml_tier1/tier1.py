"""Helpers of the tier-1 XML tests."""

from __future__ import annotations

from lxml import etree

from tests.functional.xml.xml_helpers import XmlClient, error_of, results


def one(root: etree._Element, path: str) -> etree._Element:
    """The single `<result>` under `path`."""
    found = results(root, path)
    assert len(found) == 1, etree.tostring(root)
    return found[0]


def ok(result: etree._Element) -> etree._Element:
    assert result.findtext("status") == "ok", etree.tostring(result)
    return result


def tags(element: etree._Element | None) -> list[str]:
    assert element is not None
    return [str(c.tag) for c in element]


def fault(xml: XmlClient, inner: str, key: str | None = None) -> tuple[int, str]:
    """(errcode, errtext) of a packet-level refusal."""
    root = xml.call(inner, key=key)
    system = root.find("system")
    assert system is not None, etree.tostring(root)
    return int(system.findtext("errcode") or 0), system.findtext("errtext") or ""


def add_reseller(xml: XmlClient, login: str, extra: str = "") -> int:
    root = xml.call(
        f"<reseller><add><gen-info><pname>R {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd></gen-info>{extra}</add></reseller>"
    )
    return int(ok(one(root, "reseller/add")).findtext("id") or 0)


def add_customer(xml: XmlClient, login: str, owner: str = "", key: str | None = None) -> int:
    owner_el = f"<owner-login>{owner}</owner-login>" if owner else ""
    root = xml.call(
        f"<customer><add><gen_info><pname>C {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd>{owner_el}</gen_info></add></customer>",
        key=key,
    )
    return int(ok(one(root, "customer/add")).findtext("id") or 0)


__all__ = ["error_of", "results"]
