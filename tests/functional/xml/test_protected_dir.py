"""Operator protected-dir: add, get, set, delete, add-user, set-user, delete-user,
get-user, get-pd-location-descriptor; the order fault, the unknown object and the caller
without rights for each; passwords kept only as digests and never answered; the
location properties, per site as its SSL/TLS setting has it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.access.passwords import check_password
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, fault, one, results

DIR_NOT_FOUND = (1013, "Protected URL is not found")
USER_NOT_FOUND = (1013, "User is not found")
SECRET = "Dir-secret-42"


def _add(
    xml: XmlClient, site_id: int, name: str, tail: str = "", key: str | None = None
) -> etree._Element:
    return one(
        xml,
        "protected-dir",
        "add",
        f"<site-id>{site_id}</site-id><name>{name}</name>{tail}",
        key=key,
    )


def _loc(**values: str) -> str:
    """A ``location`` of name/value pairs (``non_ssl`` spells ``non-ssl``)."""
    props = "".join(
        f"<property><name>{k.replace('_', '-')}</name><value>{v}</value></property>"
        for k, v in values.items()
    )
    return f"<location>{props}</location>"


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    root = xml.call(f"<protected-dir><get><filter>{flt}</filter></get></protected-dir>", key=key)
    return results(root, "protected-dir/get")


def _add_user(xml: XmlClient, pd_id: str, login: str, key: str | None = None) -> etree._Element:
    return one(
        xml,
        "protected-dir",
        "add-user",
        f"<pd-id>{pd_id}</pd-id><login>{login}</login><password>{SECRET}</password>",
        key=key,
    )


def _digest(panel: Panel, login: str) -> str:
    u = tables.protected_dir_users
    with panel.db.read() as conn:
        return str(conn.execute(sa.select(u.c.password_hash).where(u.c.login == login)).scalar())


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_protected_dir_add_then_get_answers_name_header_and_location(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    made = _add(
        xml,
        world.carol_site,
        "private",
        "<header>Members only</header>" + _loc(ssl="true", nonssl="false"),
        key=world.carol.key,
    )
    assert [c.tag for c in made] == ["status", "id"], etree.tostring(made)
    pd_id = made.findtext("id")
    for flt in (
        f"<id>{pd_id}</id>",
        f"<site-id>{world.carol_site}</site-id>",
        "<site-name>blog.carol.example</site-name>",
    ):
        (got,) = _get(xml, flt, key=world.carol.key)
        assert [c.tag for c in got] == ["status", "filter-id", "id", "data"]
        assert [c.tag for c in got.find("data")] == ["name", "header", "location"]  # type: ignore[union-attr]
        assert (
            got.findtext("data/name") == "private" and got.findtext("data/header") == "Members only"
        )
        location = {
            p.findtext("name"): p.findtext("value") for p in got.findall("data/location/property")
        }
        assert location == {"ssl": "true", "non-ssl": "false", "cgi": "false"}
    assert [e.action for e in panel.events.list(obj_class="protected_dir")] == [
        "protected_dir_create"
    ]


def test_protected_dir_add_refuses_bad_values_clashes_and_anothers_site(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    assert _add(xml, world.carol_ws, "private").findtext("status") == "ok"
    assert error_of(_add(xml, world.carol_ws, "/private/"))[0] == 1007
    assert error_of(_add(xml, world.carol_ws, "../etc"))[0] == 1019
    none_true = _loc(ssl="false", nonssl="false")
    assert error_of(_add(xml, world.carol_ws, "shut", none_true))[0] == 1019
    assert (
        error_of(
            _add(
                xml,
                world.carol_ws,
                "odd",
                "<location><property><name>tls</name><value>true</value></property></location>",
            )
        )[0]
        == 1019
    )
    assert error_of(_add(xml, 999, "x")) == (1015, "site is not found")
    assert error_of(_add(xml, world.dave_ws, "x", key=world.carol.key)) == (
        1015,
        "site is not found",
    )
    assert [d.name for d in panel.protected_dirs.list(factories.admin(panel))] == ["private"]
    code, text = fault(
        xml,
        f"<protected-dir><add><name>x</name><site-id>{world.carol_ws}</site-id></add></protected-dir>",
    )
    assert code == 1014 and "'name'" in text


def test_protected_dir_slash_protects_the_site_root_and_an_empty_name_is_1019(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    made = _add(xml, world.carol_site, "/", "<header>Whole site</header>")
    assert made.findtext("status") == "ok", etree.tostring(made)
    (got,) = _get(xml, f"<id>{made.findtext('id')}</id>")
    assert (got.findtext("data/name"), got.findtext("data/header")) == ("/", "Whole site")
    # The root is one directory, however it is spelt.
    assert error_of(_add(xml, world.carol_site, "//"))[0] == 1007
    for empty in ("", "   "):
        assert error_of(_add(xml, world.carol_site, empty))[0] == 1019
    assert error_of(_add(xml, world.carol_site, "."))[0] == 1019
    assert [d.name for d in panel.protected_dirs.list(factories.admin(panel))] == ["/"]


def test_protected_dir_get_unknown_and_anothers_answer_1013(xml: XmlClient, world: World) -> None:
    pd_id = _add(xml, world.dave_ws, "private").findtext("id")
    (miss,) = _get(xml, "<id>999</id>")
    assert error_of(miss) == DIR_NOT_FOUND and miss.findtext("filter-id") == "999"
    (theirs,) = _get(xml, f"<id>{pd_id}</id>", key=world.carol.key)
    assert error_of(theirs) == DIR_NOT_FOUND
    assert all(r.findtext("id") != pd_id for r in _get(xml, "", key=world.carol.key))
    code, text = fault(
        xml, "<protected-dir><get><filter><name>x</name></filter></get></protected-dir>"
    )
    assert code == 1014 and "'name'" in text


def test_protected_dir_set_changes_header_location_and_name(xml: XmlClient, world: World) -> None:
    pd_id = _add(xml, world.carol_ws, "private").findtext("id")
    done = one(
        xml,
        "protected-dir",
        "set",
        f"<filter><id>{pd_id}</id></filter><values><name>secret</name><header>Keep out</header>"
        "<location><property><name>cgi</name><value>true</value></property></location></values>",
        key=world.carol.key,
    )
    assert [c.tag for c in done] == ["status", "filter-id", "id"], etree.tostring(done)
    (got,) = _get(xml, f"<id>{pd_id}</id>")
    assert got.findtext("data/name") == "secret" and got.findtext("data/header") == "Keep out"
    off = _loc(ssl="false", non_ssl="false", cgi="false")
    assert (
        error_of(
            one(
                xml,
                "protected-dir",
                "set",
                f"<filter><id>{pd_id}</id></filter><values>{off}</values>",
            )
        )[0]
        == 1019
    )
    assert (
        error_of(one(xml, "protected-dir", "set", "<filter><id>999</id></filter><values/>"))
        == DIR_NOT_FOUND
    )
    theirs = one(
        xml,
        "protected-dir",
        "set",
        f"<filter><id>{pd_id}</id></filter><values><header>x</header></values>",
        key=world.dave.key,
    )
    assert error_of(theirs) == DIR_NOT_FOUND
    code, text = fault(
        xml,
        f"<protected-dir><set><filter><id>{pd_id}</id></filter><values><header>x</header><name>y</name></values></set></protected-dir>",
    )
    assert code == 1014 and "'name'" in text


def test_protected_dir_delete_takes_its_users_along(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    pd_id = _add(xml, world.carol_ws, "private").findtext("id") or ""
    assert _add_user(xml, pd_id, "reader").findtext("status") == "ok"
    theirs = one(
        xml, "protected-dir", "delete", f"<filter><id>{pd_id}</id></filter>", key=world.dave.key
    )
    assert error_of(theirs) == DIR_NOT_FOUND
    gone = one(
        xml, "protected-dir", "delete", f"<filter><id>{pd_id}</id></filter>", key=world.carol.key
    )
    assert [c.tag for c in gone] == ["status", "filter-id", "id"]
    assert panel.protected_dirs.users(factories.admin(panel)) == []
    assert (
        error_of(one(xml, "protected-dir", "delete", f"<filter><id>{pd_id}</id></filter>"))
        == DIR_NOT_FOUND
    )
    code, text = fault(xml, "<protected-dir><delete><id>1</id></delete></protected-dir>")
    assert code == 1014 and "'id'" in text


def test_protected_dir_add_user_keeps_only_a_digest(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    pd_id = _add(xml, world.carol_ws, "private").findtext("id") or ""
    made = _add_user(xml, pd_id, "reader", key=world.carol.key)
    assert [c.tag for c in made] == ["status", "id"], etree.tostring(made)
    digest = _digest(panel, "reader")
    assert SECRET not in digest and check_password(digest, SECRET)
    assert SECRET not in str(panel.events.list(obj_class="protected_dir_user"))
    assert error_of(_add_user(xml, pd_id, "reader"))[0] == 1007
    assert error_of(_add_user(xml, pd_id, "no way"))[0] == 1019
    assert error_of(_add_user(xml, "999", "x")) == DIR_NOT_FOUND
    assert error_of(_add_user(xml, pd_id, "intruder", key=world.dave.key)) == DIR_NOT_FOUND
    crypt = one(
        xml,
        "protected-dir",
        "add-user",
        f"<pd-id>{pd_id}</pd-id><login>old</login><password>ab01FAKEcrypt</password><password-type>crypt</password-type>",
    )
    assert crypt.findtext("status") == "ok"
    code, text = fault(
        xml,
        f"<protected-dir><add-user><login>x</login><pd-id>{pd_id}</pd-id><password>p</password></add-user></protected-dir>",
    )
    assert code == 1014 and "'login'" in text


def test_protected_dir_set_user_changes_login_and_password(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    pd_id = _add(xml, world.carol_ws, "private").findtext("id") or ""
    user_id = _add_user(xml, pd_id, "reader").findtext("id")
    done = one(
        xml,
        "protected-dir",
        "set-user",
        f"<filter><id>{user_id}</id></filter><values><login>writer</login><password>Other-pw-9</password></values>",
        key=world.carol.key,
    )
    assert [c.tag for c in done] == ["status", "filter-id", "id"], etree.tostring(done)
    assert check_password(_digest(panel, "writer"), "Other-pw-9")
    by_dir = one(
        xml,
        "protected-dir",
        "set-user",
        f"<filter><pd-id>{pd_id}</pd-id></filter><values><password>Third-pw-9</password></values>",
    )
    assert by_dir.findtext("status") == "ok" and by_dir.findtext("id") == user_id
    empty = one(
        xml,
        "protected-dir",
        "set-user",
        f"<filter><id>{user_id}</id></filter><values><password/></values>",
    )
    assert error_of(empty)[0] == 1019
    assert (
        error_of(one(xml, "protected-dir", "set-user", "<filter><id>999</id></filter><values/>"))
        == USER_NOT_FOUND
    )
    theirs = one(
        xml,
        "protected-dir",
        "set-user",
        f"<filter><id>{user_id}</id></filter><values><login>x</login></values>",
        key=world.dave.key,
    )
    assert error_of(theirs) == USER_NOT_FOUND
    code, text = fault(
        xml,
        f"<protected-dir><set-user><values/><filter><id>{user_id}</id></filter></set-user></protected-dir>",
    )
    assert code == 1014 and "'values'" in text


def test_protected_dir_delete_user(xml: XmlClient, world: World, panel: Panel) -> None:
    pd_id = _add(xml, world.carol_ws, "private").findtext("id") or ""
    user_id = _add_user(xml, pd_id, "reader").findtext("id")
    theirs = one(
        xml,
        "protected-dir",
        "delete-user",
        f"<filter><id>{user_id}</id></filter>",
        key=world.dave.key,
    )
    assert error_of(theirs) == USER_NOT_FOUND
    gone = one(
        xml,
        "protected-dir",
        "delete-user",
        f"<filter><id>{user_id}</id></filter>",
        key=world.carol.key,
    )
    assert [c.tag for c in gone] == ["status", "filter-id", "id"]
    assert (
        error_of(one(xml, "protected-dir", "delete-user", f"<filter><id>{user_id}</id></filter>"))
        == USER_NOT_FOUND
    )
    assert [e.action for e in panel.events.list(obj_class="protected_dir_user")] == [
        "protected_dir_user_create",
        "protected_dir_user_delete",
    ]
    code, text = fault(
        xml,
        "<protected-dir><delete-user><filter><site-id>1</site-id></filter></delete-user></protected-dir>",
    )
    assert code == 1014 and "'site-id'" in text


def _all(
    xml: XmlClient, operation: str, inner: str, key: str | None = None
) -> list[etree._Element]:
    root = xml.call(f"<protected-dir><{operation}>{inner}</{operation}></protected-dir>", key=key)
    return results(root, f"protected-dir/{operation}")


def test_users_by_id_and_by_directory_without_passwords(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    site = panel.domains.get(admin, world.carol_site)
    pd = panel.protected_dirs.create(admin, site, "private")
    first = panel.protected_dirs.add_user(admin, pd, "reader", "Reader-secret-42")
    second = panel.protected_dirs.add_user(admin, pd, "writer", "Writer-secret-42")
    found = _all(xml, "get-user", f"<filter><pd-id>{pd.id}</pd-id></filter>")
    assert [[(c.tag, c.text) for c in r if c.tag != "data"] for r in found] == [
        [("status", "ok"), ("filter-id", str(pd.id)), ("id", str(first.id))],
        [("status", "ok"), ("filter-id", str(pd.id)), ("id", str(second.id))],
    ]
    assert [r.findtext("data/login") for r in found] == ["reader", "writer"]
    assert [[c.tag for c in r.iterfind("data/*")] for r in found] == [["login"], ["login"]]
    assert b"secret" not in b"".join(etree.tostring(r) for r in found)
    # the site's owner sees them; by id, a miss beside a hit
    mine = _all(
        xml,
        "get-user",
        f"<filter><id>{second.id}</id><id>4242</id></filter>",
        key=world.carol.key,
    )
    assert mine[0].findtext("data/login") == "writer"
    assert error_of(mine[1]) == (1013, "User is not found")
    assert mine[1].findtext("id") == "4242"


def _descriptor(result: etree._Element) -> dict[str, str | None]:
    return {
        p.findtext("name"): p.findtext("default-value")
        for p in result.iterfind("descriptor/property")
    }


def test_the_location_descriptor_follows_the_sites_ssl(xml: XmlClient, world: World) -> None:
    (server,) = _all(xml, "get-pd-location-descriptor", "")
    assert _descriptor(server) == {"ssl": "true", "non-ssl": "true", "cgi": "false"}
    prop = server.find("descriptor/property")
    assert prop is not None
    assert [c.tag for c in prop] == ["name", "type", "default-value", "writable-by", "label"]
    xml.call(
        "<site><set><filter><name>blog.carol.example</name></filter><values><hosting>"
        "<vrt_hst><property><name>ssl</name><value>false</value></property></vrt_hst>"
        "</hosting></values></set></site>"
    )
    site, other = _all(
        xml,
        "get-pd-location-descriptor",
        f"<filter><site-id>{world.carol_site}</site-id><site-id>{world.dave_ws}</site-id></filter>",
    )
    assert (site.findtext("filter-id"), site.findtext("id")) == (str(world.carol_site),) * 2
    assert _descriptor(site)["ssl"] == "false"
    assert _descriptor(other)["ssl"] == "true"


# -- every operation: the table's rows (operation_table.py) -------------------------------


PRIVATE = (
    "<protected-dir><add><site-id>{carol_ws}</site-id><name>private</name></add></protected-dir>"
)
# a directory of blog.carol.example's with user reader
BLOG_PRIVATE = (
    "<protected-dir><add><site-id>{carol_site}</site-id><name>private</name></add></protected-dir>"
)
READER = (
    "<protected-dir><add-user><pd-id>{made1}</pd-id><login>reader</login>"
    f"<password>{SECRET}</password></add-user></protected-dir>"
)
ALICE = (
    "<protected-dir><add-user><pd-id>{made1}</pd-id><login>alice</login>"
    f"<password>{SECRET}</password></add-user></protected-dir>"
)
CASES = [
    Case(
        "protected-dir",
        "add",
        "<site-id>{carol_ws}</site-id><name>private</name><header>Members</header>",
        "<add><name>private</name><site-id>{carol_ws}</site-id></add>",
        "name",
        "<site-id>999</site-id><name>private</name>",
        "site is not found",
        "dave",
        1015,
        missing_code=1015,
    ),
    Case(
        "protected-dir",
        "get",
        "<filter><id>{made}</id></filter>",
        "<get><filter><name>private</name></filter></get>",
        "name",
        "<filter><id>999</id></filter>",
        DIR_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE,
    ),
    Case(
        "protected-dir",
        "set",
        "<filter><id>{made}</id></filter><values><header>Staff</header></values>",
        "<set><filter><id>{made}</id></filter><values><header>x</header><name>y</name></values>"
        "</set>",
        "name",
        "<filter><id>999</id></filter><values><header>x</header></values>",
        DIR_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE,
    ),
    Case(
        "protected-dir",
        "delete",
        "<filter><id>{made}</id></filter>",
        "<delete><id>{made}</id></delete>",
        "id",
        "<filter><id>999</id></filter>",
        DIR_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE,
    ),
    Case(
        "protected-dir",
        "add-user",
        f"<pd-id>{{made}}</pd-id><login>alice</login><password>{SECRET}</password>",
        f"<add-user><login>alice</login><pd-id>{{made}}</pd-id><password>{SECRET}</password>"
        "</add-user>",
        "login",
        f"<pd-id>999</pd-id><login>alice</login><password>{SECRET}</password>",
        DIR_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE,
    ),
    Case(
        "protected-dir",
        "set-user",
        "<filter><id>{made}</id></filter><values><login>alicia</login></values>",
        "<set-user><values/><filter><id>{made}</id></filter></set-user>",
        "values",
        "<filter><id>999</id></filter><values><login>alicia</login></values>",
        USER_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE + ALICE,
    ),
    Case(
        "protected-dir",
        "delete-user",
        "<filter><id>{made}</id></filter>",
        "<delete-user><filter><site-id>{carol_ws}</site-id></filter></delete-user>",
        "site-id",
        "<filter><id>999</id></filter>",
        USER_NOT_FOUND[1],
        "dave",
        1013,
        before=PRIVATE + ALICE,
    ),
    Case(
        "protected-dir",
        "get-user",
        "<filter><id>{made}</id></filter>",
        "<get-user><x/><filter><id>{made}</id></filter></get-user>",
        "x",
        "<filter><id>4242</id></filter>",
        "User is not found",
        "dave",  # not his site: as if the user did not exist
        1013,
        before=BLOG_PRIVATE + READER,
    ),
    Case(
        "protected-dir",
        "get-pd-location-descriptor",
        "<filter><site-id>{carol_site}</site-id></filter>",
        "<get-pd-location-descriptor><x/></get-pd-location-descriptor>",
        "x",
        "<filter><site-id>4242</site-id></filter>",
        "site is not found",
        "dave",
        1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
