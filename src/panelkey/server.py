"""Assembles the ASGI app and runs it: listeners, TLS, workers (their shutdown: shutdown.py)."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import resource
import signal
import socket
import sys
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from panelkey import injected, metrics
from panelkey.config import LivePanelIni, Settings
from panelkey.console.app import PREFIX as CONSOLE_PREFIX
from panelkey.console.app import Console
from panelkey.context import Context, Scope
from panelkey.core.access.auth import AuthCounters, RateLimiter, SiblingCounter
from panelkey.core.access.passwords import check_password
from panelkey.core.panel import Panel
from panelkey.core.testing.faults import Interrupt
from panelkey.dnsserver import DnsListener, bind_sockets, bound_socket
from panelkey.httpguard import Limits, RefusalLog, guarded, raise_fd_limit, with_tls
from panelkey.journal import AccessLog, Journal, JournalMiddleware, LogFormatter
from panelkey.rest.app import RestApi
from panelkey.shutdown import (
    EXIT_MARGIN,
    FINISH_MARGIN,
    GracefulServer,
    catch_early,
    exit_by,
    exit_now,
    kill_after,
    stopped_early,
)
from panelkey.startup import (
    StartupFailure,
    check_store_url,
    check_tls,
    folder_failure,
    listen_failure,
    store_failure,
)
from panelkey.store.outage import background
from panelkey.supervise import supervise
from panelkey.tls import ensure_self_signed, fingerprint, server_context
from panelkey.xmlapi.app import XmlApi

log = logging.getLogger("panelkey.server")

AGENT_PATH = "/enterprise/control/agent.php"
REST_PREFIX = "/api/v2"
USAGE_FLUSH_SECONDS = 1.0
JOURNAL_FLUSH_SECONDS = 0.2
# After a flush that found more requests than the journal keeps, the next one waits this
# long instead: it still writes the newest, and under heavy traffic the journal's work
# stays bounded (at most journalSize entries a second) rather than growing with it.
JOURNAL_BUSY_SECONDS = 1.0
ACCESS_FLUSH_SECONDS = 0.5  # an access line is written within a second of its request


class PanelkeyApp:
    """Routes by path to a face; everything else is a JSON 404."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.xml = XmlApi(ctx)
        self.rest = RestApi(ctx)
        self.console = Console(ctx)

    def __call__(self, scope: Scope, receive: Any, send: Any) -> Awaitable[None]:
        # Not a coroutine: the face's own is awaited, with no coroutine of the router's
        # made and stepped through on every request.
        if scope["type"] != "http":
            return _nothing()
        path = scope["path"]
        if path == AGENT_PATH:
            return self.xml(scope, receive, send)
        if path == REST_PREFIX or path.startswith(REST_PREFIX + "/"):
            return self.rest(scope, receive, send)
        if path in ("/", CONSOLE_PREFIX) or path.startswith(CONSOLE_PREFIX + "/"):
            return self.console(scope, receive, send)
        return _not_found(send)


def api_app(ctx: Context, journal: Journal, access: AccessLog) -> JournalMiddleware:
    """The ASGI app a worker serves: both faces and the console, injected faults turned
    into answers, every XML and REST request journaled and logged."""
    return JournalMiddleware(
        PanelkeyApp(ctx),
        journal,
        access,
        lambda scope: Context.client_address(scope, ctx.live()),
        AGENT_PATH,
        REST_PREFIX,
        recover=(Interrupt, injected.answer),
    )


async def _nothing() -> None:
    """What a scope other than HTTP gets (lifespan is off; websockets are not served)."""


async def _not_found(send: Any) -> None:
    body = json.dumps({"code": 404, "message": "Not found"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class Prepared:
    cert: Path
    key: Path
    admin_password: str | None  # generated now, or given by PANELKEY_ADMIN_PASSWORD


def prepare(settings: Settings, out: Any = sys.stdout) -> Prepared:
    """First-start work, done once before any worker: data folder, schema, admin,
    certificate. Prints the admin password when it was generated now. Raises
    StartupFailure, in one line, for what stops the start (startup.py)."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise folder_failure(exc, settings.data_dir) from None
    check_store_url(settings.database_url)
    try:
        panel = Panel.open(settings.database_url)
    except Exception as exc:  # noqa: BLE001 - whatever stops the store, one line says it
        raise store_failure(exc, settings.database_url) from None
    given = os.environ.get("PANELKEY_ADMIN_PASSWORD") or None
    try:
        password = panel.bootstrap(admin_email=settings.admin_email)
        panel.server_guid()
        if password is None and given is not None and not _admin_password_is(panel, given):
            print(
                "panelkey: warning: PANELKEY_ADMIN_PASSWORD does not match the stored admin "
                "password, which stays in force (the variable only sets the first one); "
                "change it with: panelkey admin",
                file=sys.stderr,
                flush=True,
            )
            given = None
    except Exception as exc:  # noqa: BLE001 - a store that opened but will not serve
        raise store_failure(exc, settings.database_url) from None
    finally:
        panel.close()
    if password is not None:
        print(f"Admin login: admin  password (shown once): {password}", file=out, flush=True)
        print("Change it with: panelkey admin --set-password", file=out, flush=True)
    if settings.tls_cert:
        cert, key = Path(settings.tls_cert), Path(settings.tls_key or settings.tls_cert)
    else:
        cert, key = ensure_self_signed(settings.data_dir / "tls")
    check_tls(cert, key)
    return Prepared(cert, key, password or given)


def _admin_password_is(panel: Panel, password: str) -> bool:
    admin = panel.accounts.admin()
    stored = panel.accounts.password_hash(admin.id) if admin is not None else None
    return stored is not None and check_password(stored, password)


def write_ready_file(
    path: Path, listeners: list[tuple[socket.socket, bool]], prepared: Prepared
) -> None:
    """What a test suite in any language needs to reach this server, written atomically
    (the file appears whole or not at all) and private, since it may hold the password."""
    facts: dict[str, Any] = {"pid": os.getpid(), "https_port": None, "http_port": None}
    for sock, tls in listeners:
        scheme = "https" if tls else "http"
        facts[f"{scheme}_port"] = sock.getsockname()[1]
        facts[f"{scheme}_url"] = _url(scheme, sock)
    facts["admin_login"] = "admin"
    facts["admin_password"] = prepared.admin_password
    facts["cert_path"] = str(prepared.cert)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(facts, f, indent=2)
        f.write("\n")
    os.replace(partial, path)


def _listen(host: str, port: int, what: str = "HTTPS", flag: str = "--https-port") -> socket.socket:
    try:
        sock = bound_socket(host, port)
    except OSError as exc:
        raise listen_failure(exc, what, host, port, flag) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


DnsSockets = tuple[socket.socket, socket.socket] | None


def _url(scheme: str, sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


@dataclass(frozen=True)
class Worker:
    """What each worker serves, made once before any worker starts: the settings, the
    listening sockets, the certificate, and what the workers of one server share."""

    settings: Settings
    listeners: list[tuple[socket.socket, bool]]
    cert: Path
    key: Path
    siblings: SiblingCounter | None = None
    limiter: RateLimiter | None = None
    metrics_sock: socket.socket | None = None
    dns_socks: DnsSockets = None

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT, on uvloop."""
        try:
            import uvloop

            uvloop.run(_worker(self))
        except ImportError:  # pragma: no cover - uvloop is a dependency, but not on every OS
            asyncio.run(_worker(self))


async def _worker(w: Worker) -> None:
    settings, metrics_sock, dns_socks = w.settings, w.metrics_sock, w.dns_socks
    panel = Panel.open(settings.database_url, migrate=False)
    panel.watch()
    panel.auth.siblings = w.siblings
    if w.limiter is not None:
        panel.auth.limiter = w.limiter
    ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
    journal = Journal(settings.data_dir / "journal.db", settings.journal_size)
    access = AccessLog()
    app = api_app(ctx, journal, access)
    servers: list[tuple[GracefulServer, socket.socket]] = []
    fd_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    protocol = guarded(
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        limits=Limits.sized(fd_limit, settings.max_connections_per_source),
        exempt=lambda peer: ctx.live().trusts_proxy(peer),
        refusals=RefusalLog(settings.audit_refusal_interval),
    )
    https = with_tls(protocol, server_context(w.cert, w.key))
    if metrics_sock is not None:
        metrics.enable()
        panel.auth.counters = AuthCounters(metrics.verified, metrics.refused, metrics.lockout)
        config = uvicorn.Config(
            metrics.asgi_app(panel.keys.states),
            http="httptools",
            loop="none",
            lifespan="off",
            server_header=False,
            access_log=False,
            log_config=None,
        )
        servers.append((GracefulServer(config, settings.shutdown_grace), metrics_sock))
    for sock, tls in w.listeners:
        config = uvicorn.Config(
            app,
            # httptools, with timeouts and bounds per source (httpguard.py); the HTTPS
            # one shakes hands itself, so that a handshake counts and times out
            http=https if tls else protocol,
            loop="none",
            lifespan="off",
            proxy_headers=False,  # the client address is the peer's; see Context
            server_header=False,
            access_log=False,
            log_config=None,  # panelkey's own logging; see _quiet_start
        )
        servers.append((GracefulServer(config, settings.shutdown_grace), sock))
    loop = asyncio.get_running_loop()
    dns_listener = DnsListener(panel.dns_zones, *dns_socks) if dns_socks else None

    def stop() -> None:
        if any(server.should_exit for server, _ in servers):
            return
        exit_by(settings.shutdown_grace + FINISH_MARGIN + EXIT_MARGIN)
        for server, _ in servers:
            server.should_exit = True
        if dns_listener is not None:
            loop.create_task(dns_listener.close())

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    if stopped_early():
        stop()

    async def flush_usage() -> None:
        while True:
            await asyncio.sleep(USAGE_FLUSH_SECONDS)
            await asyncio.to_thread(background(panel.db, panel.auth.flush_usage))

    async def flush_journal() -> None:
        wait = JOURNAL_FLUSH_SECONDS
        while True:
            await asyncio.sleep(wait)
            waiting, queued = journal.take()  # on the loop, where requests queue them
            rows = await journal.prepare(waiting)  # on the loop too, a slice at a time
            await asyncio.to_thread(journal.put, rows)
            wait = JOURNAL_BUSY_SECONDS if queued > journal.size else JOURNAL_FLUSH_SECONDS

    async def flush_access() -> None:
        while True:
            await asyncio.sleep(ACCESS_FLUSH_SECONDS)
            await access.drain()

    flushers = [
        asyncio.create_task(flush_usage()),
        asyncio.create_task(flush_journal()),
        asyncio.create_task(flush_access()),
    ]
    try:
        if dns_listener is not None:
            await dns_listener.start()
        # What start-up made lives as long as the worker: kept out of the collector's
        # full passes, which under load walked its 120,000 objects again and again
        # (tens of ms each; bench/findings/request-path.md). Nothing is collected first:
        # start-up leaves a few hundred objects of garbage, not worth a pass of its own.
        gc.freeze()
        await asyncio.gather(*(s.serve(sockets=[sock]) for s, sock in servers))
    finally:
        for flusher in flushers:
            flusher.cancel()
        # A drain cancelled while making its lines writes them before the last flush.
        await asyncio.gather(*flushers, return_exceptions=True)
        if dns_listener is not None:
            await dns_listener.close()
        access.flush()  # the servers have stopped: every request's line is queued
        journal.close()
        panel.close()


class _OnlyMigrationsRun(logging.Filter):
    """Alembic speaks at every start; only the lines of a migration actually running count."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage().startswith("Running ")


def _quiet_start(level: str) -> None:
    """One line per listener: uvicorn's per-server chatter only at debug, alembic's
    preamble never."""
    if level.lower() != "debug":
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
        logging.getLogger("alembic.runtime.migration").addFilter(_OnlyMigrationsRun())
        # alembic loads when a migration is due, after logging is set: its plugins speak then
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def serve(settings: Settings, out: Any = sys.stdout) -> int:
    """`panelkey serve`: prepare, listen, run `settings.workers` workers until SIGTERM,
    then end the process (`exit_now`). Returns 1 only when the start fails."""
    handler = logging.StreamHandler()
    handler.setFormatter(LogFormatter())  # what the access log writes in batches
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    _quiet_start(settings.log_level)
    catch_early()
    raise_fd_limit()  # connections are bounded by it (httpguard.Limits); workers inherit it
    try:
        prepared = prepare(settings, out)
        listeners = [(_listen(settings.host, settings.https_port), True)]
        if settings.http_port:
            listeners.append(
                (_listen(settings.host, settings.http_port, "HTTP", "--http-port"), False)
            )
        dns_socks: DnsSockets = None
        if settings.dns_port is not None:
            try:
                dns_socks = bind_sockets(settings.dns_host, settings.dns_port)
            except OSError as exc:
                raise listen_failure(
                    exc, "DNS", settings.dns_host, settings.dns_port, "--dns-port"
                ) from None
        metrics_sock = None
        if settings.metrics_port:
            metrics_sock = _listen(
                settings.host, settings.metrics_port, "metrics", "--metrics-port"
            )
    except StartupFailure as exc:
        print(f"panelkey: cannot start: {exc}", file=sys.stderr, flush=True)
        return 1
    cert, key = prepared.cert, prepared.key
    for sock, tls in listeners:
        faces = "XML API, REST API" if tls else "XML API"
        print(
            f"panelkey listening on {_url('https' if tls else 'http', sock)} ({faces})",
            file=out,
            flush=True,
        )
    print(f"TLS certificate: {cert} (SHA-256 {fingerprint(cert)})", file=out, flush=True)
    if dns_socks is not None:
        host, port = dns_socks[0].getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"panelkey DNS listening on {shown}:{port} (UDP and TCP)", file=out, flush=True)
    if metrics_sock is not None:
        metrics.prepare(settings.data_dir / "metrics")
        print(f"metrics on {_url('http', metrics_sock)}/metrics", file=out, flush=True)
    if settings.ready_file:
        write_ready_file(Path(settings.ready_file), listeners, prepared)
    if settings.workers == 1:
        Worker(settings, listeners, cert, key, None, None, metrics_sock, dns_socks).run()
        exit_now(0)
    # One counter of siblings and one limiter per server: a key's rate holds across workers.
    worker = Worker(
        settings, listeners, cert, key, SiblingCounter(), RateLimiter(), metrics_sock, dns_socks
    )
    held = [sock for sock, _ in listeners] + [s for s in (metrics_sock, *(dns_socks or ())) if s]
    exit_now(
        supervise(
            settings.workers,
            worker.run,
            stopped_early=stopped_early,
            listeners=held,
            kill_after=kill_after(settings.shutdown_grace),
        )
    )
