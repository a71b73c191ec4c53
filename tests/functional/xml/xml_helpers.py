"""Helpers for the XML API tests: packets in, parsed answers out."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
from lxml import etree

from panelkey.context import Context
from panelkey.xmlapi.app import XmlApi

AGENT = "/enterprise/control/agent.php"
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


def packet(inner: str, version: str | None = "1.6.9.1") -> bytes:
    attr = f' version="{version}"' if version is not None else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<packet{attr}>{inner}</packet>'.encode()


def parse(response: httpx.Response) -> etree._Element:
    """The answer's root, after the checks every protocol answer must pass."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/xml"
    assert response.content.startswith(DECLARATION)
    root = etree.fromstring(response.content)
    assert root.tag == "packet"
    assert root.get("version") == "1.6.9.1"
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
        version: str | None = "1.6.9.1",
        headers: Mapping[str, str] | None = None,
    ) -> etree._Element:
        """Send `<packet>inner</packet>` with a key (this client's by default)."""
        sent = dict(headers or {})
        use = key if key is not None else self.key
        if use is not None and not any(h.lower() == "http_auth_login" for h in sent):
            sent.setdefault("KEY", use)
        return parse(self.request(packet(inner, version), sent, address=address))
