"""Helpers of the REST tests: the app in-process, real servers, the error shape, and the
objects most tests start from (a customer, a domain, the XML face beside REST)."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.rest.app import RestApi
from tests.conftest import ADMIN_PASSWORD, Server, system_trust
from tests.factories import key_of
from tests.functional.xml.xml_helpers import XmlClient

ADMIN = ("admin", ADMIN_PASSWORD)
CUSTOMER = {
    "name": "John Doe",
    "login": "john_doe",
    "password": "password",
    "email": "",
    "type": "customer",
    "company": "Plesk",
}


Key = dict[str, str]

# For a test that reads the store only through the API it checks: SQLite alone.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def is_error_shape(response: httpx.Response) -> bool:
    body = response.json()
    return (
        isinstance(body, dict)
        and set(body) == {"code", "message"}
        and body["code"] == response.status_code
        and isinstance(body["message"], str)
        and response.headers["content-type"].startswith("application/json")
    )


@dataclass
class Api:
    """The REST app called in-process (httpx over ASGI) on the `panel` fixture's store."""

    panel: Panel
    ctx: Context
    ini: Path
    client_ip: str = "127.0.0.1"
    scheme: str = "https"

    def __post_init__(self) -> None:
        self.app = RestApi(self.ctx)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(self.client_ip, 40000))
            async with httpx.AsyncClient(
                transport=transport, base_url=f"{self.scheme}://panelkey.test/api/v2"
            ) as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(go())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def new_key(self, **body: Any) -> dict[str, str]:
        """A fresh admin key as the X-API-Key header."""
        response = self.post("/auth/keys", auth=ADMIN, json=body)
        assert response.status_code == 201, response.text
        return {"X-API-Key": response.json()["key"]}


def https(server: Server) -> httpx.Client:
    """A client that trusts exactly the server's own self-signed certificate."""
    trust = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))
    return httpx.Client(base_url=f"{server.https_url}/api/v2", verify=trust, timeout=30)


def plain(server: Server) -> httpx.Client:
    return httpx.Client(base_url=f"{server.http_url}/api/v2", timeout=30, verify=system_trust())


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> bool:
    """panel.ini is re-read at most every 0.2 s: poll until `check` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def make_customer(api: Api, key: Key, **extra: object) -> int:
    """CUSTOMER (with `extra`) made over REST; its id."""
    made = api.post("/clients", headers=key, json={**CUSTOMER, **extra})
    assert made.status_code == 201, made.text
    assert set(made.json()) == {"id", "guid"}
    return int(made.json()["id"])


def make_domain(api: Api, key: Key, name: str = "example.com", **extra: object) -> int:
    """A domain with hosting made over REST; its id."""
    made = api.post(
        "/domains", headers=key, json={"name": name, "hosting_type": "virtual", **extra}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def admin_identity(api: Api) -> Identity:
    admin = api.panel.accounts.admin()
    assert admin is not None
    return admin.identity()


def xml_client(api: Api) -> XmlClient:
    """The XML face on the same store, as the admin: what REST writes, XML reads."""
    return XmlClient(api.ctx, key_of(api.panel, admin_identity(api)))


def schemas_of(api: Api) -> list[tuple[dict[str, Any], str]]:
    """Each document's schemas, with the prefix its `$ref`s carry."""
    v3 = api.get("/openapi.json").json()["components"]["schemas"]
    v2 = api.get("/swagger.json").json()["definitions"]
    return [(v3, "#/components/schemas/"), (v2, "#/definitions/")]
