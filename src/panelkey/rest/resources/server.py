"""Handlers of the small routes: secret keys, the server, the command-line gate.

A handler takes a `Call` and gives back `(status, payload)`. Those marked `inline` in
the route table run on the event loop and must not touch the store; all others run in
a worker thread.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import json
import socket
import struct
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panelkey.context import Context
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity
from panelkey.rest.errors import ApiError, bad_request, not_found
from panelkey.rest.schemas import INT32
from panelkey.utilities import reference, registry

FACE = "rest"
Answer = tuple[int, Any]
SUCCESS = {"status": "success"}


@dataclass(slots=True)
class Call:
    """One authenticated request, as a handler sees it."""

    ctx: Context
    identity: Identity
    address: str
    params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None


# -- secret keys ------------------------------------------------------------------------


def create_key(c: Call) -> Answer:
    body = c.body if isinstance(c.body, dict) else {}
    items: list[str] = []
    for name in ("ip", "ips"):
        given = body.get(name)
        if isinstance(given, str):
            items += [x for x in given.split(",") if x.strip()]
        elif isinstance(given, list):
            items += given
    if not items and c.address:
        items = [c.address]  # Plesk binds a key made without an address to the caller's
    login = body.get("login") or None
    value, _info = c.ctx.panel.keys.create(
        c.identity,
        addresses=items,
        description=body.get("description") or "",
        login=login,
        face=FACE,
        source_ip=c.address,
        expires=(body.get("expires") or "").strip() or None,
        scope=body.get("scope"),
        rate=body.get("rate") or None,
    )
    return 201, {"key": value}


def delete_key(c: Call) -> Answer:
    ref = str(c.params["key"]).strip()
    if ref.isdigit() and (not ref.isascii() or int(ref) > INT32):
        raise ApiError(404, "Key does not exist")
    try:
        c.ctx.panel.keys.delete(c.identity, ref, face=FACE, source_ip=c.address)
    except NotFound:
        raise ApiError(404, "Key does not exist") from None  # never echo a presented value
    return 200, SUCCESS


def list_keys(c: Call) -> Answer:
    return 200, [k.as_dict() for k in c.ctx.panel.keys.list()]


# -- the server -------------------------------------------------------------------------

_server_bodies: weakref.WeakKeyDictionary[Context, bytes] = weakref.WeakKeyDictionary()


def server_info(c: Call) -> Answer:
    """Made once per context and answered as ready JSON bytes: this is the hot path."""
    found = _server_bodies.get(c.ctx)
    if found is None:
        info = c.ctx.info
        built = time.gmtime(Path(__file__).stat().st_mtime)
        found = json.dumps(
            {
                "platform": "Windows" if info.platform == "Windows" else "Unix",
                "hostname": info.hostname,
                "guid": info.guid,
                "panel_version": info.version,
                "panel_revision": f"panelkey-{info.version}",
                "panel_build_date": time.strftime("%Y-%m-%d", built),
                "panel_update_version": "0",
                "extension_version": info.version,
                "extension_release": "1",
            }
        ).encode()
        _server_bodies[c.ctx] = found
    return 200, found


def create_session(c: Call) -> Answer:
    b = c.body
    # skip_mfa needs nothing: panelkey asks for no second factor, so none is skipped.
    session_id, _session = c.ctx.panel.sessions.create(
        c.identity,
        b["login"],
        user_ip=b.get("user_ip") or c.address,
        source_server=b.get("source_server") or "",
    )
    return 201, {"id": session_id}


def server_init(c: Call) -> Answer:
    b = c.body
    c.ctx.panel.server.init(
        c.identity,
        admin=b.get("admin"),
        password=b.get("password"),
        server_name=b.get("server_name"),
    )
    return 200, SUCCESS


def install_license(c: Call) -> Answer:
    """A key, an activation code, or both. Plesk fetches the key an activation code given
    alone stands for; panelkey fetches nothing, so the code stands in for that key (its
    digest names the license, as a key's would)."""
    b = c.body
    code = (b.get("code") or "").strip()
    key = b.get("key") or code
    if not key:
        raise bad_request("A license needs its key or its activation code")
    c.ctx.panel.server.install_license(
        c.identity, key, code=code, additional=bool(b.get("additional"))
    )
    return 200, SUCCESS


def server_ips(c: Call) -> Answer:
    return 200, host_addresses()


_SIOCGIFADDR = 0x8915
_SIOCGIFNETMASK = 0x891B


def _ioctl_ipv4(sock: socket.socket, request: int, name: str) -> str:
    packed = struct.pack("256s", name.encode()[:15])
    try:
        answer = fcntl.ioctl(sock.fileno(), request, packed)
    except OSError:
        return ""
    return socket.inet_ntoa(answer[20:24])


def host_addresses() -> list[dict[str, str]]:
    """The host's addresses per interface, as Plesk lists them (IPv4 with its netmask,
    then IPv6 from /proc on Linux). Falls back to the loopback address."""
    found: list[dict[str, str]] = []
    names = (
        [name for _index, name in socket.if_nameindex()] if hasattr(socket, "if_nameindex") else []
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for name in names:
            ipv4 = _ioctl_ipv4(sock, _SIOCGIFADDR, name)
            if ipv4:
                netmask = _ioctl_ipv4(sock, _SIOCGIFNETMASK, name)
                found.append(_ip(ipv4, "", netmask, name))
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 6:
                address = ipaddress.IPv6Address(int(parts[0], 16))
                prefix = int(parts[2], 16)
                netmask = str(ipaddress.IPv6Network(f"::/{prefix}").netmask)
                found.append(_ip("", str(address), netmask, parts[5]))
    return found or [_ip("127.0.0.1", "", "255.0.0.0", "lo")]


def _ip(ipv4: str, ipv6: str, netmask: str, interface: str) -> dict[str, str]:
    return {
        "ipv4": ipv4,
        "ipv6": ipv6,
        "netmask": netmask,
        "interface": interface,
        "type": "shared",
    }


# -- the command-line gate ---------------------------------------------------------------


def cli_commands(c: Call) -> Answer:
    return 200, sorted(registry())


def cli_ref(c: Call) -> Answer:
    name = c.params["id"]
    if name not in registry():
        raise not_found("Command")
    return 200, reference(name)


def cli_call(c: Call) -> Answer:
    utility = registry().get(c.params["id"])
    if utility is None:
        raise not_found("Command")
    body = c.body if isinstance(c.body, dict) else {}
    outcome = utility(c.ctx.panel, list(body.get("params") or []), FACE)
    return 200, {"code": outcome.code, "stdout": outcome.stdout, "stderr": outcome.stderr}
