"""`/server`: the server's information and addresses, its first setup and its license,
over the core's server settings (`core/server/settings.py`), which XML `server` reads."""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import json
import socket
import struct
import time
import weakref
from pathlib import Path

from panelkey.context import Context
from panelkey.core.patterns import NAME_MAX, PASSWORD_MAX, SPACE, TEXT_MAX
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import bad_request
from panelkey.rest.resources import SUCCESS, Answer, Call, Resource

# -- handlers -------------------------------------------------------------------------------

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


_IP_FIELDS = ("ipv4", "ipv6", "netmask", "interface", "type")


def _ip(ipv4: str, ipv6: str, netmask: str, interface: str) -> dict[str, str]:
    return dict(zip(_IP_FIELDS, (ipv4, ipv6, netmask, interface, "shared"), strict=True))


# -- schemas --------------------------------------------------------------------------------

_SERVER_FIELDS = (
    "platform",
    "hostname",
    "guid",
    "panel_version",
    "panel_revision",
    "panel_build_date",
    "panel_update_version",
    "extension_version",
    "extension_release",
)
_ADMIN_FIELDS = (
    "name",
    "email",
    "company",
    "phone",
    "fax",
    "address",
    "city",
    "state",
    "post_code",
    "country",
    "locale",
)

# Plesk's lengths of contact data (plesk_client.xsd gen_info); others TEXT_MAX.
_ADMIN_LENGTHS = {"name": NAME_MAX, "company": NAME_MAX, "phone": 30, "fax": 30, "post_code": 10}
_ADMIN_LENGTHS |= {"country": 2, "locale": 64}
# A license key is an XML file of a few kilobytes.
LICENSE_MAX = 65536
SCHEMAS: dict[str, js.Schema] = {
    "ServerMeta": js.obj({name: js.string() for name in _SERVER_FIELDS}, _SERVER_FIELDS),
    "ServerIp": js.obj(
        {
            **{n: js.string() for n in _IP_FIELDS[:-1]},
            "type": js.string(enum=["shared", "exclusive"]),
        },
        _IP_FIELDS,
    ),
    "Admin": js.obj(
        {
            **{n: js.string(maxLength=_ADMIN_LENGTHS.get(n, TEXT_MAX)) for n in _ADMIN_FIELDS},
            "email": js.EMAIL,
            "send_announce": js.BOOLEAN,
            "multiple_sessions": js.BOOLEAN,
        },
        description="The administrator's contact information",
    ),
    "ServerInit": js.obj(
        {
            "admin": js.ref("Admin"),
            "password": js.string(
                "The administrator's new password", minLength=1, maxLength=PASSWORD_MAX
            ),
            "server_name": js.string("The server's host name", maxLength=255),
        },
        description="Initial server setup parameters",
    ),
    "ServerLicense": js.obj(
        {
            "key": js.string(
                "The license key (kept as its digest, never shown)",
                maxLength=LICENSE_MAX,
                pattern=rf"^[{SPACE}]*[^\x00{SPACE}][^\x00]*$",
            ),
            "code": js.string(
                "The activation code; given alone, it stands for the key it activates "
                "(panelkey fetches nothing)",
                maxLength=255,
            ),
            "additional": {"type": "boolean", "description": "An additional license key"},
        },
        description="License parameters: a key, an activation code, or both",
    ),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("Server",), "server")
ROUTES = (
    _R.get("/server", server_info, "Get server information", js.ref("ServerMeta"), inline=True),
    _R.post("/server/init", server_init, "Initialize server", js.STATUS, body="ServerInit"),
    _R.post(
        "/server/license", install_license, "Install license key", js.STATUS, body="ServerLicense"
    ),
    _R.get("/server/ips", server_ips, "List server IP addresses", js.many("ServerIp")),
)
