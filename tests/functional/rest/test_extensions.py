"""`/extensions`: installed from panelkey's catalogue, offline, and kept in the store."""

from __future__ import annotations

from tests.functional.rest.rest_helpers import SQLITE_ONLY, Api, Key, is_error_shape

pytestmark = SQLITE_ONLY


def test_extension_install_disable_enable_uninstall_is_kept_in_the_store(
    api: Api, admin_key: Key
) -> None:
    assert api.get("/extensions", headers=admin_key).json() == []
    assert api.post("/extensions", headers=admin_key, json={"id": "git"}).status_code == 200
    assert [e["id"] for e in api.get("/extensions", headers=admin_key).json()] == ["git"]
    assert api.put("/extensions/git/disable", headers=admin_key).status_code == 200
    assert api.panel.extensions.get("git").active is False  # type: ignore[union-attr]
    assert api.get("/extensions/git", headers=admin_key).json()["active"] is False
    assert api.put("/extensions/git/enable", headers=admin_key).status_code == 200
    assert api.get("/extensions/git", headers=admin_key).json()["active"] is True
    assert api.delete("/extensions/git", headers=admin_key).status_code == 200
    gone = api.get("/extensions/git", headers=admin_key)
    assert gone.status_code == 404 and is_error_shape(gone)
    assert api.delete("/extensions/git", headers=admin_key).status_code == 404


def test_unknown_extension_id_is_a_clear_400(api: Api, admin_key: Key) -> None:
    response = api.post("/extensions", headers=admin_key, json={"id": "no-such-extension"})
    assert response.status_code == 400 and is_error_shape(response)
    assert "letsencrypt" in response.json()["message"]  # names what can be installed
    assert api.get("/extensions", headers=admin_key).json() == []
