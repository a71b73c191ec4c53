"""Helpers of the REST tests: the app in-process, real servers, the error shape."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.rest.app import RestApi
from tests.conftest import ADMIN_PASSWORD, Server

ADMIN = ("admin", ADMIN_PASSWORD)
CUSTOMER = {
    "name": "John Doe",
    "login": "john_doe",
    "password": "password",
    "email": "",
    "type": "customer",
    "company": "Plesk",
}


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
    return httpx.Client(base_url=f"{server.http_url}/api/v2", timeout=30)


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> bool:
    """panel.ini is re-read at most every 0.2 s: poll until `check` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()
