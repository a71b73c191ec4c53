"""Helpers for the XML API tests: packets in, parsed answers out.

`XmlClient` drives the face in-process; `Legacy` does it at an older protocol version.
The readers below take an answer apart: `results` (every result under a path), `only`
(the single one), `one` (send one operation, get its single result), `ok`, `all_ok`
(every result under a path ok), `error_of`, `system_error`/`fault` (packet-level
refusals), `order_fault` (the 1014 of a packet out of Plesk's order).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
from lxml import etree

from panelkey.context import Context
from panelkey.xmlapi.app import XmlApi

AGENT = "/enterprise/control/agent.php"
NEW = "1.6.9.1"  # the server's protocol version: every answer carries it
OLD = "1.0.0.0"  # the oldest one Plesk lists
# For ``@pytest.mark.parametrize("database_url", BOTH, indirect=True)``: the tests of this
# folder run on SQLite unless they ask for both stores.
BOTH = ["sqlite", "postgresql"]
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE packet [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<packet><secret_key><create><description>&lol9;</description></create></secret_key></packet>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE packet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<packet><secret_key><create><description>&xxe;</description></create></secret_key></packet>"""

DEEP = b"<packet>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</packet>"


def packet(inner: str, version: str | None = NEW) -> bytes:
    attr = f' version="{version}"' if version is not None else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<packet{attr}>{inner}</packet>'.encode()


def parse(response: httpx.Response) -> etree._Element:
    """The answer's root, after the checks every protocol answer must pass."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/xml"
    assert response.content.startswith(DECLARATION)
    root = etree.fromstring(response.content)
    assert root.tag == "packet"
    assert root.get("version") == NEW
    return root


def system_error(root: etree._Element) -> tuple[int, str]:
    """(errcode, errtext) of a packet-level error; fails when the answer is not one."""
    assert [c.tag for c in root] == ["system"], etree.tostring(root)
    system = root[0]
    assert [c.tag for c in system] == ["status", "errcode", "errtext"]
    assert system.findtext("status") == "error"
    return int(system.findtext("errcode") or 0), system.findtext("errtext") or ""


def results(root: etree._Element, path: str) -> list[etree._Element]:
    """The `<result>` elements under `path` (e.g. 'secret_key/create')."""
    return root.findall(f"{path}/result")


def error_of(result: etree._Element) -> tuple[int, str]:
    assert result.findtext("status") == "error", etree.tostring(result)
    return int(result.findtext("errcode") or 0), result.findtext("errtext") or ""


class XmlClient:
    """Drives the XML face in-process, through ASGI, from a chosen client address."""

    def __init__(self, ctx: Context, key: str | None = None) -> None:
        self.app = XmlApi(ctx)
        self.key = key

    def request(
        self,
        body: bytes | str,
        headers: Mapping[str, str] | None = None,
        *,
        address: str = "127.0.0.1",
        method: str = "POST",
    ) -> httpx.Response:
        content = body.encode() if isinstance(body, str) else body

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(address, 50123))
            async with httpx.AsyncClient(transport=transport, base_url="http://pk") as client:
                return await client.request(
                    method, AGENT, content=content, headers=dict(headers or {})
                )

        return asyncio.run(go())

    def call(
        self,
        inner: str,
        *,
        key: str | None = None,
        address: str = "127.0.0.1",
        version: str | None = NEW,
        headers: Mapping[str, str] | None = None,
    ) -> etree._Element:
        """Send `<packet>inner</packet>` with a key (this client's by default)."""
        sent = dict(headers or {})
        use = key if key is not None else self.key
        if use is not None and not any(h.lower() == "http_auth_login" for h in sent):
            sent.setdefault("KEY", use)
        return parse(self.request(packet(inner, version), sent, address=address))


def system_code(root: etree._Element) -> tuple[int, str]:
    """(errcode, errtext) of the answer's packet-level error, whatever else it holds."""
    system = root.find("system")
    assert system is not None, etree.tostring(root)
    return int(system.findtext("errcode") or 0), system.findtext("errtext") or ""


def fault(xml: XmlClient, inner: str, key: str | None = None) -> tuple[int, str]:
    """(errcode, errtext) of a packet-level refusal."""
    return system_code(xml.call(inner, key=key))


def only(root: etree._Element, path: str) -> etree._Element:
    """The single `<result>` under `path`."""
    found = results(root, path)
    assert len(found) == 1, etree.tostring(root)
    return found[0]


def call(
    xml: XmlClient, operator: str, operation: str, inner: str, key: str | None = None
) -> etree._Element:
    """The answer packet of one operation."""
    return xml.call(f"<{operator}><{operation}>{inner}</{operation}></{operator}>", key=key)


def one(
    xml: XmlClient, operator: str, operation: str, inner: str, key: str | None = None
) -> etree._Element:
    """The single result of one operation."""
    return only(call(xml, operator, operation, inner, key), f"{operator}/{operation}")


def ok(result: etree._Element) -> etree._Element:
    assert result.findtext("status") == "ok", etree.tostring(result)
    return result


def all_ok(root: etree._Element, path: str) -> list[etree._Element]:
    """Every `<result>` under `path`: at least one, each ok."""
    found = results(root, path)
    assert found, etree.tostring(root)
    for result in found:
        ok(result)
    return found


def order_fault(xml: XmlClient, operator: str, operation: str, inner: str) -> str:
    """The text of the 1014 a packet out of Plesk's order gets."""
    code, text = system_error(call(xml, operator, operation, inner))
    assert code == 1014, text
    assert "Error in line" in text
    return text


def tags(element: etree._Element | None) -> list[str]:
    assert element is not None
    return [str(c.tag) for c in element]


def named(parent: etree._Element | None, item: str) -> dict[str, str]:
    """{name: value} of the name/value pairs `item` under `parent`."""
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


GEN_AND_HOSTING = "<dataset><gen_info/><hosting/></dataset>"


def domain_get(
    xml: XmlClient, op: str, flt: str = "", dataset: str = GEN_AND_HOSTING, key: str | None = None
) -> list[etree._Element]:
    """The results of `webspace/get` or `site/get` (`op`) with that filter and dataset."""
    root = xml.call(f"<{op}><get><filter>{flt}</filter>{dataset}</get></{op}>", key=key)
    return results(root, f"{op}/get")


def hosting_props(result: etree._Element) -> dict[str, str]:
    """{name: value} of a domain's hosting properties in a get's answer."""
    return {
        p.findtext("name") or "": p.findtext("value") or ""
        for p in result.findall("data/hosting/vrt_hst/property")
    }


def add_reseller(xml: XmlClient, login: str, extra: str = "") -> int:
    """A reseller made over XML (password `pw-<login>-1234`); its id."""
    root = xml.call(
        f"<reseller><add><gen-info><pname>R {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd></gen-info>{extra}</add></reseller>"
    )
    return int(ok(only(root, "reseller/add")).findtext("id") or 0)


def add_customer(xml: XmlClient, login: str, owner: str = "", key: str | None = None) -> int:
    """A customer made over XML (password `pw-<login>-1234`); its id."""
    owner_el = f"<owner-login>{owner}</owner-login>" if owner else ""
    root = xml.call(
        f"<customer><add><gen_info><pname>C {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd>{owner_el}</gen_info></add></customer>",
        key=key,
    )
    return int(ok(only(root, "customer/add")).findtext("id") or 0)


class Legacy:
    """Sends packets of a chosen version (1.0.0.0 unless told) and checks the answer's
    root carries the server's."""

    def __init__(self, client: XmlClient) -> None:
        self.client = client

    def call(
        self,
        inner: str,
        version: str | None = OLD,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> etree._Element:
        sent = dict(headers or {})
        if not any(h.lower() == "http_auth_login" for h in sent):
            sent["KEY"] = key if key is not None else self.client.key or ""
        response = self.client.request(packet(inner, version), sent)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml"
        root = etree.fromstring(response.content)
        assert root.tag == "packet"
        # the server's version, whatever the request's (spec/xml-api.md)
        assert root.get("version") == NEW, etree.tostring(root)
        return root

    def one(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> etree._Element:
        """The single result under `path`."""
        return only(self.call(inner, version, key=key), path)

    def ok(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> etree._Element:
        return ok(self.one(inner, path, version, key=key))

    def error(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> tuple[int, str]:
        return error_of(self.one(inner, path, version, key=key))
