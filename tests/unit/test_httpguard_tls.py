"""httpguard over TLS, in-process on asyncio's own loop (the functional tests run
uvloop): a connection counts before its handshake, is refused past the bound without
a handshake, and gives its count back however it ends."""

from __future__ import annotations

import asyncio
import socket
import ssl
from pathlib import Path

import pytest
import uvicorn

from panelkey.httpguard import Limits, RefusalLog, guarded, with_tls
from panelkey.tls import ensure_self_signed, server_context


async def _app(scope: dict[str, object], receive: object, send: object) -> None:
    if scope["type"] != "http":
        return
    body = str(scope["scheme"]).encode()
    await send(  # type: ignore[operator]
        {"type": "http.response.start", "status": 200,
         "headers": [(b"content-length", str(len(body)).encode())]}
    )  # fmt: skip
    await send({"type": "http.response.body", "body": body})  # type: ignore[operator]


def _client_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def test_a_connection_counts_from_its_accept_before_its_handshake(tmp_path: Path) -> None:
    cert, key = ensure_self_signed(tmp_path)
    plain = guarded(
        header_timeout=30,
        body_timeout=30,
        limits=Limits(capacity=100, bound=2, reserve=0),
        exempt=lambda _: False,
        refusals=RefusalLog(60),
    )
    protocol = with_tls(plain, server_context(cert, key))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(_app, http=protocol, lifespan="off", log_config=None, loop="none")
    server = uvicorn.Server(config)

    async def tls_get() -> bytes:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=_client_context(), server_hostname="localhost"
        )
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got = await reader.read()
        writer.close()
        return got

    async def go() -> None:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.01)
        assert (await tls_get()).endswith(b"\r\n\r\nhttps")  # the scheme, seen through TLS
        silent = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
        while protocol.open_total[0] < 2:
            await asyncio.sleep(0.01)
        assert protocol.open_by_source == {"127.0.0.1": 2}  # counted, no hello yet
        with pytest.raises((ssl.SSLError, ConnectionError)):
            await tls_get()  # the third: closed before any handshake
        _, writer = silent.pop()
        writer.close()
        while protocol.open_total[0] > 1:
            await asyncio.sleep(0.01)
        assert (await tls_get()).endswith(b"https")  # its count was given back
        for _, writer in silent:
            writer.close()
        while protocol.open_total[0] > 0:
            await asyncio.sleep(0.01)
        assert protocol.open_by_source == {}
        server.should_exit = True
        await serving

    asyncio.run(asyncio.wait_for(go(), 30))
