"""A REST list as long as the store holds is made off the event loop (issue 24): other
requests are answered while it is made, and it is still whole."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from panelkey import pressure
from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.rest.app import RestApi
from tests import factories
from tests.conftest import CHEAP_HASHES

CUSTOMERS = 300


def _app(panel: Panel, tmp_path: Path) -> RestApi:
    (tmp_path / "panel.ini").write_text("")
    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, environ={})
    return RestApi(Context(panel, settings, LivePanelIni(settings.panel_ini)))


async def _get(app: RestApi, key: str, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://pk/api/v2") as c:
        return await c.get(path, headers={"X-API-Key": key})


def test_a_big_list_is_answered_after_requests_sent_beside_it(
    panel: Panel, admin: Identity, tmp_path: Path
) -> None:
    made = {factories.customer(panel, f"big{n}").id for n in range(CUSTOMERS)}
    app = _app(panel, tmp_path)
    key, _ = panel.keys.create(admin, addresses=None, face="cli")
    answered: list[str] = []

    async def get(path: str, label: str) -> httpx.Response:
        response = await _get(app, key, path)
        answered.append(label)
        return response

    async def together() -> list[httpx.Response]:
        # The list is sent first; on the event loop it would be answered first.
        return await asyncio.gather(
            get("/clients", "list"), *(get("/server", f"server {n}") for n in range(5))
        )

    assert asyncio.run(get("/server", "first")).status_code == 200  # the key cached
    answered.clear()
    listing, *others = asyncio.run(together())
    assert answered[-1] == "list", answered
    assert all(r.status_code == 200 for r in others)
    assert listing.status_code == 200
    assert {c["id"] for c in listing.json()} == made


def test_big_lists_side_by_side_are_each_answered_whole(
    panel: Panel, admin: Identity, tmp_path: Path
) -> None:
    """One list's turn at a time: the others wait for the lane, and each gets it."""
    made = {factories.customer(panel, f"side{n}").id for n in range(CUSTOMERS)}
    app = _app(panel, tmp_path)
    key, _ = panel.keys.create(admin, addresses=None, face="cli")

    async def side_by_side() -> list[httpx.Response]:
        lists = asyncio.gather(*(_get(app, key, "/clients") for _ in range(4)))
        return await asyncio.wait_for(lists, 60)

    for response in asyncio.run(side_by_side()):
        assert response.status_code == 200
        assert {c["id"] for c in response.json()} == made


def test_a_list_seen_small_is_made_on_the_event_loop_until_it_grows(
    panel: Panel, admin: Identity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread hop costs more than a small list: once a list (route and query) was
    answered small, it is made at once; grown past SMALL_LIST, it goes back to the lane."""
    hops: list[str] = []
    real = asyncio.to_thread

    async def counted(work: Any, *args: Any) -> Any:
        hops.append(getattr(work, "__name__", "work"))
        return await real(work, *args)

    monkeypatch.setattr(pressure.asyncio, "to_thread", counted)
    made = {factories.customer(panel, f"few{n}").id for n in range(3)}
    app = _app(panel, tmp_path)
    key, _ = panel.keys.create(admin, addresses=None, face="cli")

    def ids(path: str) -> set[int]:
        response = asyncio.run(_get(app, key, path))
        assert response.status_code == 200
        return {c["id"] for c in response.json()}

    assert asyncio.run(_get(app, key, "/server")).status_code == 200  # the key cached
    hops.clear()
    assert ids("/clients") == made  # never seen: the lane
    assert len(hops) == 1
    assert ids("/clients") == made  # seen small: on the loop
    assert ids("/clients") == made
    assert len(hops) == 1
    assert ids("/clients?x=1") == made  # another query: not seen yet
    assert len(hops) == 2

    made |= {factories.customer(panel, f"more{n}").id for n in range(pressure.SMALL_LIST)}
    assert ids("/clients") == made  # seen small, now big: made on the loop this once
    assert ids("/clients") == made  # then in the lane again
    assert len(hops) == 3
