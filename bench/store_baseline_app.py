"""The store baseline: a bare Starlette app on the same server stack (uvicorn, httptools,
uvloop) that reads the same rows from the same database panelkey uses, through the plain
driver (sqlite3 or psycopg), with a digest key check per request, and answers them as
JSON or as hand-formatted XML. It parses no packet, validates nothing, keeps no audit:
it is the in-language ceiling for an API that reads the store.

Run: python -m bench.store_baseline_app DATABASE_URL HTTP_PORT
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any
from xml.sax.saxutils import escape

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

CLIENT_COLUMNS = (
    "a.id, a.created, a.name, a.company, a.login, a.status, a.email, a.locale, a.guid, "
    "a.description, a.type, o.login, a.external_id"
)
CLIENT_FIELDS = [
    "id",
    "created",
    "name",
    "company",
    "login",
    "status",
    "email",
    "locale",
    "guid",
    "description",
    "type",
    "owner_login",
    "external_id",
]
DOMAIN_FIELDS = [
    "id",
    "name",
    "ascii_name",
    "hosting_type",
    "base_domain_id",
    "www_root",
    "guid",
    "created",
    "description",
]


class Store:
    """One connection per process, queried right on the event loop: for reads of a few
    indexed rows that is the fastest a single worker goes (no thread hop at all).
    `?` placeholders are rewritten for psycopg."""

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            import sqlite3

            self.conn: Any = sqlite3.connect(
                url.split("sqlite:///", 1)[1], check_same_thread=False, isolation_level=None
            )
            # The durability panelkey keeps, so that writes compare like with like.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
        else:
            import psycopg

            plain = url.replace("postgresql+psycopg://", "postgresql://")
            base, _, query = plain.partition("?")
            options = ""
            for part in query.split("&"):
                if part.startswith("options="):
                    from urllib.parse import unquote

                    options = unquote(part[len("options=") :])
            self.conn = psycopg.connect(base, options=options, autocommit=True)

    def q(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self.sqlite:
            sql = sql.replace("?", "%s")
        cur = self.conn.execute(sql, args)
        return list(cur.fetchall()) if cur.description else []

    async def run(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.q(sql, args)


def make_app(store: Store) -> Starlette:
    async def key_ok(request: Request) -> bool:
        value = request.headers.get("x-api-key") or request.headers.get("key") or ""
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
        rows = await store.run(
            "SELECT k.id FROM secret_keys k JOIN accounts a ON a.id = k.owner_id "
            "WHERE k.digest = ? AND a.status = 0",
            (digest,),
        )
        return bool(rows)

    def denied() -> Response:
        return Response(b'{"code":401,"message":"no"}', 401, media_type="application/json")

    async def clients(request: Request) -> Response:
        if not await key_ok(request):
            return denied()
        rows = await store.run(
            f"SELECT {CLIENT_COLUMNS} FROM accounts a LEFT JOIN accounts o ON o.id = a.owner_id "  # noqa: S608 - fixed columns
            "WHERE a.type != 'admin' ORDER BY a.id"
        )
        body = json.dumps([dict(zip(CLIENT_FIELDS, r, strict=True)) for r in rows])
        return Response(body, media_type="application/json")

    async def domains(request: Request) -> Response:
        if not await key_ok(request):
            return denied()
        rows = await store.run(
            f"SELECT {', '.join(DOMAIN_FIELDS)} FROM domains ORDER BY id"  # noqa: S608 - fixed columns
        )
        body = json.dumps([dict(zip(DOMAIN_FIELDS, r, strict=True)) for r in rows])
        return Response(body, media_type="application/json")

    async def records(request: Request) -> Response:
        if not await key_ok(request):
            return denied()
        name = request.query_params.get("domain", "")
        rows = await store.run(
            "SELECT r.id, r.type, r.host, r.value, r.opt, r.ttl FROM dns_records r "
            "JOIN domains d ON d.id = r.domain_id WHERE d.name = ? ORDER BY r.id",
            (name,),
        )
        fields = ("id", "type", "host", "value", "opt", "ttl")
        body = json.dumps([dict(zip(fields, r, strict=True)) for r in rows])
        return Response(body, media_type="application/json")

    def xml(inner: str) -> Response:
        return Response(
            '<?xml version="1.0" encoding="UTF-8"?>\n<packet version="1.6.9.1">'
            + inner
            + "</packet>",
            media_type="text/xml",
        )

    async def customer_get(request: Request) -> Response:
        await request.body()
        if not await key_ok(request):
            return denied()
        login = request.query_params.get("login", "")
        rows = await store.run(
            f"SELECT {CLIENT_COLUMNS} FROM accounts a LEFT JOIN accounts o ON o.id = a.owner_id "  # noqa: S608 - fixed columns
            "WHERE a.login_key = ?",
            (login.lower(),),
        )
        parts = []
        for r in rows:
            info = "".join(
                f"<{f}>{escape(str(v or ''))}</{f}>" for f, v in zip(CLIENT_FIELDS, r, strict=True)
            )
            parts.append(
                f"<result><status>ok</status><id>{r[0]}</id><data><gen_info>{info}</gen_info></data></result>"
            )
        return xml(f"<customer><get>{''.join(parts)}</get></customer>")

    async def site_get(request: Request) -> Response:
        await request.body()
        if not await key_ok(request):
            return denied()
        name = request.query_params.get("name", "")
        rows = await store.run(
            f"SELECT {', '.join(DOMAIN_FIELDS)} FROM domains WHERE name = ?",  # noqa: S608 - fixed columns
            (name,),
        )
        parts = []
        for r in rows:
            info = "".join(
                f"<{f}>{escape(str(v or ''))}</{f}>" for f, v in zip(DOMAIN_FIELDS, r, strict=True)
            )
            parts.append(
                f"<result><status>ok</status><id>{r[0]}</id><data><gen_info>{info}</gen_info></data></result>"
            )
        return xml(f"<site><get>{''.join(parts)}</get></site>")

    async def get_rec(request: Request) -> Response:
        await request.body()
        if not await key_ok(request):
            return denied()
        site = int(request.query_params.get("site", "0"))
        rows = await store.run(
            "SELECT id, domain_id, type, host, value, opt FROM dns_records WHERE domain_id = ? "
            "ORDER BY id",
            (site,),
        )
        parts = [
            f"<result><status>ok</status><id>{r[0]}</id><data><site-id>{r[1]}</site-id>"
            f"<type>{r[2]}</type><host>{escape(r[3])}</host><value>{escape(r[4])}</value>"
            f"<opt>{escape(r[5])}</opt></data></result>"
            for r in rows
        ]
        return xml(f"<dns><get_rec>{''.join(parts)}</get_rec></dns>")

    def committed(sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """One statement in a transaction of its own, committed before the answer (with
        `synchronous=FULL` on SQLite, as panelkey's): what panelkey's writes promise."""
        if not store.sqlite:
            return store.q(sql, args)  # autocommit: one statement, one commit
        store.q("BEGIN IMMEDIATE")
        try:
            rows = store.q(sql, args)
        except BaseException:
            store.q("ROLLBACK")
            raise
        store.q("COMMIT")
        return rows

    async def add_rec(request: Request) -> Response:
        await request.body()
        if not await key_ok(request):
            return denied()
        site = int(request.query_params.get("site", "0"))
        host = request.query_params.get("host", "_bench") + ".x."
        new_id = committed(
            "INSERT INTO dns_records (domain_id, type, host, value, opt, ttl) "
            "VALUES (?, 'TXT', ?, 'v', '', 300) RETURNING id",
            (site, host),
        )[0][0]
        return xml(
            f"<dns><add_rec><result><status>ok</status><id>{new_id}</id></result></add_rec></dns>"
        )

    async def del_rec(request: Request) -> Response:
        await request.body()
        if not await key_ok(request):
            return denied()
        record = int(request.query_params.get("id", "0"))
        committed("DELETE FROM dns_records WHERE id = ?", (record,))
        return xml(
            f"<dns><del_rec><result><status>ok</status><id>{record}</id></result></del_rec></dns>"
        )

    async def protos(request: Request) -> Response:
        await request.body()
        return xml(
            "<server><get_protos><result><status>ok</status><protos><proto>1.6.9.1</proto></protos></result></get_protos></server>"
        )

    return Starlette(
        routes=[
            Route("/api/v2/clients", clients),
            Route("/api/v2/domains", domains),
            Route("/api/v2/dns/records", records),
            Route("/bare/customer-get", customer_get, methods=["POST"]),
            Route("/bare/site-get", site_get, methods=["POST"]),
            Route("/bare/get-rec", get_rec, methods=["POST"]),
            Route("/bare/add-rec", add_rec, methods=["POST"]),
            Route("/bare/del-rec", del_rec, methods=["POST"]),
            Route("/bare/protos", protos, methods=["POST"]),
        ]
    )


async def main(url: str, port: int) -> None:
    app = make_app(Store(url))
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http="httptools",
        loop="none",
        lifespan="off",
        access_log=False,
        log_level="warning",
    )
    await uvicorn.Server(config).serve()


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(sys.argv[1], int(sys.argv[2])))
