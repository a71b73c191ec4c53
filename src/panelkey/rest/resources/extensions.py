"""`/extensions`: the catalogue's installed extensions and their state, kept in the store
(`core/server/extensions.py`); installed by id from the catalogue, offline."""

from __future__ import annotations

from panelkey.core.server.extensions import CATALOGUE
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import not_found
from panelkey.rest.resources import SUCCESS, Answer, Call, Resource


def list_extensions(c: Call) -> Answer:
    return 200, [e.as_dict() for e in c.ctx.panel.extensions.list()]


def install_extension(c: Call) -> Answer:
    # Installed by id from the catalogue; `url` and `file` (downloads) are not used.
    c.ctx.panel.extensions.install(c.identity, c.body["id"])
    return 200, SUCCESS


def get_extension(c: Call) -> Answer:
    found = c.ctx.panel.extensions.get(c.params["id"])
    if found is None:
        raise not_found("Extension")
    return 200, found.as_dict()


def uninstall_extension(c: Call) -> Answer:
    c.ctx.panel.extensions.uninstall(c.identity, c.params["id"])
    return 200, SUCCESS


def enable_extension(c: Call) -> Answer:
    c.ctx.panel.extensions.set_active(c.identity, c.params["id"], True)
    return 200, SUCCESS


def disable_extension(c: Call) -> Answer:
    c.ctx.panel.extensions.set_active(c.identity, c.params["id"], False)
    return 200, SUCCESS


_NOT_USED = "Not used: panelkey installs by id from its catalogue, offline"
SCHEMAS: dict[str, js.Schema] = {
    "Extension": js.obj(
        {
            **{n: js.string() for n in ("id", "name", "version", "release")},
            "active": js.BOOLEAN,
        },
        ("id", "name", "version", "release", "active"),
        description="Extension entity",
    ),
    "ExtensionInstallRequest": js.obj(
        {
            "id": js.string("An id from panelkey's catalogue", enum=sorted(CATALOGUE)),
            "url": js.string(_NOT_USED, maxLength=4096),
            "file": js.string(_NOT_USED, maxLength=4096),
        },
        ("id",),
        description="Extension installation request",
    ),
}

_R = Resource(("Extensions",), "extension", int_ids=False)
_ALL = "/extensions"
_ONE = f"{_ALL}/{{id}}"
ROUTES = (
    _R.get(_ALL, list_extensions, "List installed extensions", js.many("Extension")),
    _R.post(
        _ALL, install_extension, "Install extension", js.STATUS, body="ExtensionInstallRequest"
    ),
    _R.get(_ONE, get_extension, "Get extension details", js.ref("Extension")),
    _R.delete(_ONE, uninstall_extension, "Uninstall extension", js.STATUS),
    _R.put(f"{_ONE}/enable", enable_extension, "Enable extension", js.STATUS),
    _R.put(f"{_ONE}/disable", disable_extension, "Disable extension", js.STATUS),
)
