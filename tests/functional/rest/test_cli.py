"""`/cli`: the command-line gate runs the registry's utilities, exactly as the command line
does, and nothing else; in-process, and on a real server against its own `plesk bin`."""

from __future__ import annotations

from tests.conftest import Server
from tests.functional.rest.rest_helpers import ADMIN, SQLITE_ONLY, Api, Key, https, is_error_shape


@SQLITE_ONLY
def test_cli_lists_and_runs_the_registrys_utilities_and_nothing_else(
    api: Api, admin_key: Key
) -> None:
    from panelkey.utilities import registry

    assert api.get("/cli/commands", headers=admin_key).json() == sorted(registry())
    ran = api.post("/cli/secret_key/call", headers=admin_key, json={"params": ["--list"]})
    assert ran.status_code == 200 and ran.json()["code"] == 0
    for name, utility in registry().items():  # each one the gate has, as it runs locally
        local = utility(api.panel, ["--help"], "rest")
        called = api.post(f"/cli/{name}/call", headers=admin_key, json={"params": ["--help"]})
        assert called.status_code == 200, name
        assert called.json() == {
            "code": local.code,
            "stdout": local.stdout,
            "stderr": local.stderr,
        }
        assert api.get(f"/cli/{name}/ref", headers=admin_key).status_code == 200
    for name in ("scheduler", "..%2Fbin%2Fsh", "sh"):
        refused = api.post(f"/cli/{name}/call", headers=admin_key, json={"params": ["-l"]})
        assert refused.status_code == 404 and is_error_shape(refused)
        if "%" not in name:  # an encoded slash matches no route at all
            assert refused.json()["message"] == "Command does not exist"
        assert api.get(f"/cli/{name}/ref", headers=admin_key).status_code == 404


def test_secret_key_through_the_cli_gate_makes_a_working_key(live: Server) -> None:
    with https(live) as client:
        call = client.post(
            "/cli/secret_key/call",
            auth=ADMIN,
            json={"params": ["--create", "-description", "x"], "env": {}},
        )
        assert call.status_code == 200
        answer = call.json()
        assert answer["code"] == 0 and answer["stderr"].startswith("Note:")
        key = answer["stdout"].strip()
        assert client.get("/server", headers={"X-API-Key": key}).status_code == 200
        listed = client.get("/auth/keys", headers={"X-API-Key": key}).json()
        assert any(k["description"] == "x" and k["ips"] == [] for k in listed)


def test_cli_gate_answers_exactly_what_the_command_line_prints(live: Server) -> None:
    with https(live) as client:
        for params in (["--help"], ["--bogus"], ["--delete", "-key", "4242"]):
            local = live.cli(*params)
            remote = client.post("/cli/secret_key/call", auth=ADMIN, json={"params": params})
            assert remote.json() == {
                "code": local.returncode,
                "stdout": local.stdout,
                "stderr": local.stderr,
            }, params


def test_cli_listing_and_unknown_utility(live: Server) -> None:
    with https(live) as client:
        assert "secret_key" in client.get("/cli/commands", auth=ADMIN).json()
        ref = client.get("/cli/secret_key/ref", auth=ADMIN).json()
        assert "--create" in ref["allowed_commands"] and "-ip-address" in ref["allowed_options"]
        for response in (
            client.post("/cli/rm/call", auth=ADMIN, json={"params": ["-rf", "/"]}),
            client.get("/cli/rm/ref", auth=ADMIN),
        ):
            assert response.status_code == 404 and is_error_shape(response)
