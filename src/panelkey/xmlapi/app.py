"""PLACEHOLDER until the XML face lands: answers 501."""

from __future__ import annotations

from typing import Any

from panelkey.context import Context, Scope


class XmlApi:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 501, "headers": []})
        await send({"type": "http.response.body", "body": b""})
