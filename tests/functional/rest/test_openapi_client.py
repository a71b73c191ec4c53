"""A client generated at test time from panelkey's own openapi.json, as MCP servers built
on Plesk's REST API generate theirs (FastMCP.from_openapi: one tool per operation, named
after its summary), drives the API in-process: it makes a client, a domain, a DNS record,
an FTP user and a database, and lists them; the API then shows what it made."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import httpx2
import pytest

from tests.functional.rest.plesk_operations import PLESK_OPERATIONS
from tests.functional.rest.rest_helpers import CUSTOMER, Api

if TYPE_CHECKING:
    from fastmcp import FastMCP

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _server(api: Api, key: dict[str, str]) -> FastMCP:
    spec = api.get("/openapi.json").json()
    http = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=api.app, client=(api.client_ip, 40000)),
        base_url="https://panelkey.test/api/v2",
        headers=key,
    )
    # imported where used: two seconds of imports, paid by the worker that runs this
    from fastmcp import FastMCP

    return FastMCP.from_openapi(spec, client=http, name="plesk")


def _tool_name(summary: str) -> str:
    return summary.replace(" ", "_")


async def _use(mcp: FastMCP) -> dict[str, Any]:
    from fastmcp import Client

    async with Client(mcp) as client:
        names = {t.name for t in await client.list_tools()}

        async def call(tool: str, /, **args: Any) -> Any:
            result = await client.call_tool(tool, args)
            return result.structured_content

        out: dict[str, Any] = {"tools": names}
        out["server"] = await call("Get_server_information")
        made = await call("Create_client_account", **CUSTOMER)
        out["client"] = made
        await call(
            "Create_domain",
            name="example.com",
            hosting_type="virtual",
            owner_client={"id": made["id"]},
        )
        out["record"] = await call(
            "Create_DNS_record", domain="example.com", type="TXT", host="mcp", value="hello"
        )
        out["ftp"] = await call(
            "Create_FTP_user",
            name="mcp_ftp",
            password="Ftp-pw-123",
            parent_domain={"name": "example.com"},
        )
        out["database"] = await call(
            "Create_database", name="mcp_db", type="mysql", parent_domain={"name": "example.com"}
        )
        out["ftp_users"] = await call("List_FTP_users", domain="example.com")
        out["databases"] = await call("List_databases", domain="example.com")
        out["clients"] = await call("List_clients")
        out["domains"] = await call("List_domains")
        out["records"] = await call("List_DNS_records", domain="example.com")
        return out


def test_generated_mcp_server_names_tools_after_plesks_summaries_and_works(
    api: Api, admin_key: dict[str, str]
) -> None:
    out = asyncio.run(_use(_server(api, admin_key)))
    assert {_tool_name(op.summary) for op in PLESK_OPERATIONS} <= out["tools"]
    assert "Get_server_information" in out["tools"]
    assert out["server"]["platform"] == "Unix"
    text = json.dumps(out["clients"])
    assert CUSTOMER["login"] in text
    assert "example.com" in json.dumps(out["domains"])
    assert out["record"]["host"] == "mcp.example.com."
    assert "mcp.example.com." in json.dumps(out["records"])
    assert out["ftp"]["name"] == "mcp_ftp" and "password" not in out["ftp"]
    assert out["database"]["name"] == "mcp_db" and out["database"]["type"] == "mysql"
    assert "mcp_ftp" in json.dumps(out["ftp_users"])
    assert "mcp_db" in json.dumps(out["databases"])
    # What the tools did is what the API shows.
    assert api.panel.domains.by_name(api.panel.accounts.admin().identity(), "example.com")  # type: ignore[union-attr]
    zone = {"domain": "example.com"}
    domain = api.get("/domains", headers=admin_key, params={"name": "example.com"}).json()[0]
    owner = api.get(f"/domains/{domain['id']}/client", headers=admin_key).json()
    assert owner["login"] == CUSTOMER["login"]
    records = api.get("/dns/records", headers=admin_key, params=zone).json()
    assert any(r["host"] == "mcp.example.com." and r["value"] == "hello" for r in records)
    ftp_users = api.get("/ftpusers", headers=admin_key, params=zone).json()
    assert [(u["name"], u["parent_domain"]) for u in ftp_users] == [("mcp_ftp", domain["id"])]
    databases = api.get("/databases", headers=admin_key, params=zone).json()
    assert [(d["name"], d["type"], d["parent_domain"]) for d in databases] == [
        ("mcp_db", "mysql", domain["id"])
    ]
