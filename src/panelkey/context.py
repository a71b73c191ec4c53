"""What every face is handed: the core, the settings, and facts of the request's transport.

The faces import this module, never `server` nor each other.
"""

from __future__ import annotations

import ipaddress
import platform
import socket
from dataclasses import dataclass
from typing import Any

from panelkey import __version__, pressure
from panelkey.config import LivePanelIni, LiveSettings, Settings
from panelkey.core.access import passwords
from panelkey.core.access.sessions import KEY_FILE as SESSION_KEY_FILE
from panelkey.core.access.throttle import Limits, Throttle
from panelkey.core.panel import Panel

Scope = dict[str, Any]


# The scope's key under which whoever keeps the request (the journal's middleware) may put
# an object whose `took(chunk)` is handed each chunk of the body `read_body` reads.
BODY_KEEPER = "panelkey.body_keeper"


class BodyTooLarge(Exception):
    """The request body passed the configured limit; it was not read further."""


class ClientGone(BodyTooLarge):
    """The client went away (or was timed out) before its body was whole: nothing may
    run on a part of a body, and whatever answer is given goes nowhere."""


def _ip(hop: str) -> str:
    """A forwarded hop in canonical form, or "" when it is not an IP address."""
    text = hop.strip()
    if not text or len(text) > 45:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


@dataclass(frozen=True)
class ServerInfo:
    hostname: str
    guid: str
    version: str
    platform: str

    @classmethod
    def of(cls, panel: Panel) -> ServerInfo:
        return cls(
            hostname=socket.getfqdn() or socket.gethostname(),
            guid=panel.server_guid(),
            version=__version__,
            platform=platform.system() or "Unix",
        )


def _apply_limits(panel: Panel, settings: Settings) -> None:
    """Hand the core its abuse limits from the settings (docs/configuration.md)."""
    passwords.configure(settings.password_hash_threads)
    passwords.use_profile(settings.password_hash_profile)
    auth = panel.auth
    limits = Limits(
        failures=settings.lockout_failures,
        window=settings.lockout_window,
        lockout=settings.lockout_time,
        max_lockout=settings.lockout_max_time,
    )
    key_limits = Limits(
        failures=settings.key_throttle_failures,
        window=settings.key_throttle_window,
        lockout=settings.key_throttle_time,
        max_lockout=settings.key_throttle_max_time,
    )
    auth.throttle = Throttle(
        limits, login_failures=settings.lockout_login_failures, key_limits=key_limits
    )
    auth.lockout_delay = settings.lockout_delay
    auth.hashing.busy = pressure.busy  # password hashes rest while others wait
    panel.audit.refusal_interval = settings.audit_refusal_interval
    panel.audit.retention_days = settings.audit_retention_days


class Context:
    def __init__(self, panel: Panel, settings: Settings, ini: LivePanelIni) -> None:
        self.panel = panel
        self.settings = settings
        self.ini = ini
        self.info = ServerInfo.of(panel)
        _apply_limits(panel, settings)
        # Session ids are sealed under a key kept in the data folder, never in the store.
        panel.sessions.use_key_file(settings.data_dir / SESSION_KEY_FILE)

    def live(self) -> LiveSettings:
        return self.ini.get()

    @staticmethod
    def client_address(scope: Scope, live: LiveSettings) -> str:
        """The TCP peer, or the right-most untrusted X-Forwarded-For hop when the peer is a
        trusted proxy. Never believes the header from anyone else; a hop that is not an
        IP address is ignored (the peer counts when no hop is left)."""
        client = scope.get("client")
        peer = str(client[0]) if client else ""
        if not live.trusts_proxy(peer):
            return peer
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                text: str = value.decode("latin-1")
                hops = [h for h in (_ip(h) for h in text.split(",")) if h]
                for hop in reversed(hops):
                    if not live.trusts_proxy(hop):
                        return hop
                return hops[0] if hops else peer
        return peer

    @staticmethod
    def is_https(scope: Scope) -> bool:
        return scope.get("scheme") == "https"

    async def read_body(self, scope: Scope, receive: Any) -> bytes:
        """The whole body, refused unread (BodyTooLarge) when it passes the limit."""
        limit = self.settings.max_body
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > limit:
                        raise BodyTooLarge()
                except ValueError:
                    pass
        keeper = scope.get(BODY_KEEPER)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            if keeper is not None:
                keeper.took(chunk)
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)
