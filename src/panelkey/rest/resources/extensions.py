"""Handlers of `/extensions`: the catalogue's installed extensions and their state."""

from __future__ import annotations

from panelkey.rest.errors import not_found
from panelkey.rest.handlers import SUCCESS, Answer, Call


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
