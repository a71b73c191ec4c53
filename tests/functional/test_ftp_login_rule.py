"""The FTP login rule is the core's (core/domains/logins.py), one for a subscription's
system user and for its FTP users, so every face answers it alike: REST
`POST /api/v2/domains` with a bad `hosting_settings.ftp_login` is a 400 that stores
nothing, XML `webspace/add` with the same login is 1019, and an FTP user's name follows
the same rule on both. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from panelkey.core.domains.logins import check_ftp_login
from panelkey.core.errors import InvalidValue
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests import factories
from tests.functional.rest.rest_helpers import Api, is_error_shape
from tests.functional.xml.xml_helpers import XmlClient, error_of, results

BAD = "not a login; rm -rf /"
# What the rule takes: mixed case, dot, underscore, hyphen, 64 characters at the most.
GOOD = ("Shop.files-1", "web_user", "a", "x" * 64)
# What it refuses: a sign, a space, an e-mail-like login, a leading dot, 65 characters.
REFUSED = (BAD, "ops@example.com", "two words", ".hidden", "-x", "x" * 65, "tab\tbed")


@pytest.fixture
def api(panel: Panel, tmp_path: Path) -> Api:
    return factories.rest_api(panel, tmp_path)


@pytest.fixture
def xml(api: Api) -> XmlClient:
    return factories.xml_client(api.ctx)


def _stored(panel: Panel) -> tuple[list[str], list[str], int]:
    """Every domain's name and FTP login, and the last event: what a refusal must keep."""
    with panel.db.read() as conn:
        rows = conn.execute(sa.select(tables.domains.c.name, tables.domains.c.ftp_login)).all()
    return sorted(r[0] for r in rows), sorted(r[1] for r in rows), panel.events.last_id()


def _webspace_add(xml: XmlClient, name: str, login: str) -> tuple[str, int]:
    """webspace/add with `login` as its FTP login: (status, errcode)."""
    root = xml.call(
        f"<webspace><add><gen_setup><name>{name}</name><htype>vrt_hst</htype></gen_setup>"
        f"<hosting><vrt_hst><property><name>ftp_login</name><value>{login}</value></property>"
        "<property><name>ftp_password</name><value>Ftp-secret-1</value></property>"
        "</vrt_hst></hosting></add></webspace>"
    )
    (result,) = results(root, "webspace/add")
    status = result.findtext("status") or ""
    return status, 0 if status == "ok" else error_of(result)[0]


def test_the_rule_takes_posix_user_names_and_refuses_anything_else() -> None:
    for login in GOOD:
        assert check_ftp_login(f" {login} ") == login
    for login in REFUSED:
        with pytest.raises(InvalidValue):
            check_ftp_login(login)
    assert check_ftp_login("", empty=True) == ""
    with pytest.raises(InvalidValue):
        check_ftp_login("")


def test_rest_domain_with_a_bad_ftp_login_is_400_and_stores_nothing(api: Api, panel: Panel) -> None:
    key = api.new_key()
    before = _stored(panel)
    answer = api.post(
        "/domains",
        headers=key,
        json={
            "name": "bad.example",
            "hosting_type": "virtual",
            "hosting_settings": {"ftp_login": BAD, "ftp_password": "Ftp-secret-1"},
        },
    )
    assert answer.status_code == 400, answer.text
    assert is_error_shape(answer) and "ftp_login" in answer.json()["message"]
    assert _stored(panel) == before
    # a login the rule takes is stored as given, so the refusal is the rule's
    body = {"name": "good.example", "hosting_settings": {"ftp_login": "Shop.files-1"}}
    assert api.post("/domains", headers=key, json=body).status_code == 201
    found = panel.domains.by_name(factories.admin(panel), "good.example")
    assert found is not None and found.ftp_login == "Shop.files-1"


def test_xml_webspace_add_with_the_same_login_is_1019_and_stores_nothing(
    xml: XmlClient, panel: Panel
) -> None:
    before = _stored(panel)
    assert _webspace_add(xml, "bad.example", BAD) == ("error", 1019)
    assert _webspace_add(xml, "mail.example", "ops@example.com") == ("error", 1019)
    assert _stored(panel) == before
    assert _webspace_add(xml, "good.example", "Shop.files-1") == ("ok", 0)


def test_the_core_checks_a_changed_login_as_it_checks_a_new_one(
    xml: XmlClient, panel: Panel
) -> None:
    admin = factories.admin(panel)
    made = factories.webspace(panel, "kept.example", ftp_login="kept")
    with pytest.raises(InvalidValue):
        panel.domains.update(admin, made, {"ftp_login": BAD})
    with pytest.raises(InvalidValue):
        factories.webspace(panel, "other.example", ftp_login="x" * 65)
    root = xml.call(
        "<webspace><set><filter><name>kept.example</name></filter><values><hosting><vrt_hst>"
        f"<property><name>ftp_login</name><value>{BAD}</value></property>"
        "</vrt_hst></hosting></values></set></webspace>"
    )
    (result,) = results(root, "webspace/set")
    assert error_of(result)[0] == 1019
    kept = panel.domains.get(admin, made.id)
    assert kept is not None and kept.ftp_login == "kept"
    assert panel.domains.by_name(admin, "other.example") is None
    # a site keeps its subscription's login, whatever the rule was when it was stored
    site = factories.site(panel, "www.kept.example", made, ftp_login=made.ftp_login)
    assert site.ftp_login == "kept"


def test_an_ftp_users_name_follows_the_same_rule_on_both_faces(
    api: Api, xml: XmlClient, panel: Panel
) -> None:
    factories.webspace(panel, "files.example", ftp_login="filesowner")
    where = "<webspace-name>files.example</webspace-name>"

    def xml_add(name: str) -> str:
        root = xml.call(
            f"<ftp-user><add><name>{name}</name><password>Ftp-user-secret-1</password>"
            f"<home>/</home>{where}</add></ftp-user>"
        )
        (result,) = results(root, "ftp-user/add")
        return result.findtext("status") or ""

    def rest_add(name: str) -> int:
        body = {"name": name, "password": "Ftp-user-secret-1"}
        answer = api.post(
            "/ftpusers",
            headers=api.new_key(),
            json={**body, "parent_domain": {"name": "files.example"}},
        )
        return answer.status_code

    before = len(panel.ftp_users.list(factories.admin(panel)))
    assert xml_add("ops@example.com") == "error"
    assert rest_add("ops@example.com") == 400
    assert xml_add("x" * 65) == "error"
    assert len(panel.ftp_users.list(factories.admin(panel))) == before
    assert xml_add("Ops.files-2") == "ok"
    assert rest_add("web_user-3") == 200
    names = {u.name for u in panel.ftp_users.list(factories.admin(panel))}
    assert {"Ops.files-2", "web_user-3"} <= names
