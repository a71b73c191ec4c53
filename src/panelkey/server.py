"""Assembles the ASGI app and runs it: listeners, TLS, workers, clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

from panelkey.config import LivePanelIni, Settings
from panelkey.context import Context, Scope
from panelkey.core.auth import SiblingCounter
from panelkey.core.panel import Panel
from panelkey.rest.app import RestApi
from panelkey.tls import ensure_self_signed, fingerprint
from panelkey.xmlapi.app import XmlApi

log = logging.getLogger("panelkey.server")

AGENT_PATH = "/enterprise/control/agent.php"
REST_PREFIX = "/api/v2"
USAGE_FLUSH_SECONDS = 1.0
_early_stop: list[int] = []  # signals that came before a worker's loop could take them


def _note_early_stop(signum: int, _frame: Any) -> None:
    _early_stop.append(signum)


class PanelkeyApp:
    """Routes by path to a face; everything else is a JSON 404."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.xml = XmlApi(ctx)
        self.rest = RestApi(ctx)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == AGENT_PATH:
            await self.xml(scope, receive, send)
        elif path == REST_PREFIX or path.startswith(REST_PREFIX + "/"):
            await self.rest(scope, receive, send)
        else:
            body = json.dumps({"code": 404, "message": "Not found"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def prepare(settings: Settings, out: Any = sys.stdout) -> tuple[Path, Path]:
    """First-start work, done once before any worker: data folder, schema, admin,
    certificate. Prints the admin password when it was generated now. Returns (cert, key)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    panel = Panel.open(settings.database_url)
    try:
        password = panel.bootstrap()
        panel.server_guid()
    finally:
        panel.close()
    if password is not None:
        print(f"Admin login: admin  password (shown once): {password}", file=out, flush=True)
        print("Change it with: panelkey admin --set-password", file=out, flush=True)
    if settings.tls_cert:
        cert, key = Path(settings.tls_cert), Path(settings.tls_key or settings.tls_cert)
    else:
        cert, key = ensure_self_signed(settings.data_dir / "tls")
    return cert, key


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server without its own signal handling: one worker runs two of them
    and stops both on one signal."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _url(scheme: str, sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


async def _worker(
    settings: Settings,
    listeners: list[tuple[socket.socket, bool]],
    cert: Path,
    key: Path,
    siblings: SiblingCounter | None,
) -> None:
    panel = Panel.open(settings.database_url, migrate=False)
    panel.watch()
    panel.auth.siblings = siblings
    ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
    app = PanelkeyApp(ctx)
    servers: list[tuple[_Server, socket.socket]] = []
    for sock, tls in listeners:
        config = uvicorn.Config(
            app,
            http="httptools",
            loop="none",
            lifespan="off",
            proxy_headers=False,  # the client address is the peer's; see Context
            server_header=False,
            access_log=False,
            log_level=settings.log_level,
            timeout_graceful_shutdown=5,
            ssl_certfile=str(cert) if tls else None,
            ssl_keyfile=str(key) if tls else None,
        )
        servers.append((_Server(config), sock))
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server, _ in servers:
            server.should_exit = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    if _early_stop:
        stop()

    async def flush_usage() -> None:
        while True:
            await asyncio.sleep(USAGE_FLUSH_SECONDS)
            await asyncio.to_thread(panel.auth.flush_usage)

    flusher = asyncio.create_task(flush_usage())
    try:
        await asyncio.gather(*(s.serve(sockets=[sock]) for s, sock in servers))
    finally:
        flusher.cancel()
        panel.close()


def _run_worker(
    settings: Settings,
    listeners: list[tuple[socket.socket, bool]],
    cert: Path,
    key: Path,
    siblings: SiblingCounter | None,
) -> None:
    try:
        import uvloop

        uvloop.run(_worker(settings, listeners, cert, key, siblings))
    except ImportError:  # pragma: no cover - uvloop is a dependency, but not on every OS
        asyncio.run(_worker(settings, listeners, cert, key, siblings))


def serve(settings: Settings, out: Any = sys.stdout) -> int:
    """`panelkey serve`: prepare, listen, run `settings.workers` workers until SIGTERM."""
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    signal.signal(signal.SIGTERM, _note_early_stop)
    signal.signal(signal.SIGINT, _note_early_stop)
    cert, key = prepare(settings, out)
    listeners = [(_listen(settings.host, settings.https_port), True)]
    if settings.http_port:
        listeners.append((_listen(settings.host, settings.http_port), False))
    for sock, tls in listeners:
        faces = "XML API, REST API" if tls else "XML API"
        print(
            f"panelkey listening on {_url('https' if tls else 'http', sock)} ({faces})",
            file=out,
            flush=True,
        )
    print(f"TLS certificate: {cert} (SHA-256 {fingerprint(cert)})", file=out, flush=True)
    if settings.workers == 1:
        _run_worker(settings, listeners, cert, key, None)
        return 0
    siblings = SiblingCounter()
    children: list[int] = []
    for _ in range(settings.workers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _run_worker(settings, listeners, cert, key, siblings)
            except BaseException:  # noqa: BLE001 - a worker reports and exits, never returns
                log.exception("worker failed")
                code = 1
            os._exit(code)
        children.append(pid)

    def forward(signum: int, _frame: Any) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    if _early_stop:
        forward(signal.SIGTERM, None)
    status = 0
    for pid in children:
        while True:
            try:
                _, code = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        status = status or os.waitstatus_to_exitcode(code)
    return status
