"""Request shapes of `mail`, `database` and `certificate`: each element Plesk 1.6.9.1
accepts there and panelkey once refused, sent and read back (the matching get answers
what was stored, or the element changed what it should)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.domains.domains import Domain
from panelkey.store import tables
from tests import factories
from tests.functional.xml.shapes.shapes import Case, World

# -- helpers --------------------------------------------------------------------------


def _subscription(w: World) -> Domain:
    """A fresh customer's fresh subscription."""
    owner = factories.customer(w.panel, w.fresh("cust"))
    return factories.webspace(w.panel, f"{w.fresh('ws')}.example", owner=owner)


def _domain(w: World, domain_id: int) -> Domain:
    found = w.panel.domains.get(factories.admin(w.panel), domain_id)
    assert found is not None
    return found


def _webspace(w: World) -> tuple[int, str]:
    """A fresh customer with a fresh subscription: (its id, its name)."""
    made = _subscription(w)
    return made.id, made.name


def _error(w: World, inner: str, path: str) -> tuple[int, str]:
    (result,) = w.call(inner).findall(f"{path}/result")
    assert result.findtext("status") == "error", etree.tostring(result).decode()
    return int(result.findtext("errcode") or 0), result.findtext("errtext") or ""


# -- mail -----------------------------------------------------------------------------

REPLY = (
    "<autoresponder><enabled>true</enabled><subject>Away</subject>"
    "<content_type>text/plain</content_type><charset>UTF-8</charset>"
    "<text>Back on Monday.</text><attachment><file-name>form.pdf</file-name></attachment>"
    "<forward>desk@elsewhere.example</forward></autoresponder>"
)


def _mailbox(w: World, extra: str = "") -> tuple[int, str]:
    """A fresh mail name (with `extra` in its create) on a fresh site: (site id, name)."""
    site, _ = _webspace(w)
    name = w.fresh("box")
    w.ok(
        f"<mail><create><filter><site-id>{site}</site-id><mailname><name>{name}</name>"
        f"<mailbox><enabled>true</enabled></mailbox>{extra}</mailname></filter></create></mail>",
        "mail/create",
    )
    return site, name


def _info(w: World, site: int, name: str, flags: str = "<autoresponder/>") -> etree._Element:
    (result,) = w.ok(
        f"<mail><get_info><filter><site-id>{site}</site-id><name>{name}</name></filter>"
        f"{flags}</get_info></mail>",
        "mail/get_info",
    )
    mailname = result.find("mailname")
    assert mailname is not None
    return mailname


def _reply(mailname: etree._Element) -> list[tuple[str, str]]:
    reply = mailname.find("autoresponder")
    assert reply is not None, etree.tostring(mailname).decode()
    return [
        (str(c.tag), c.findtext("file-name") if c.tag == "attachment" else (c.text or ""))
        for c in reply
    ]


def _update(w: World, step: str, site: int, mailname: str) -> etree._Element:
    root = w.call(
        f"<mail><update><{step}><filter><site-id>{site}</site-id>{mailname}</filter>"
        f"</{step}></update></mail>"
    )
    (result,) = root.findall(f"mail/update/{step}/result")
    return result


def _update_ok(w: World, step: str, site: int, mailname: str) -> None:
    result = _update(w, step, site, mailname)
    assert result.findtext("status") == "ok", etree.tostring(result).decode()


FULL_REPLY = [
    ("enabled", "true"),
    ("subject", "Away"),
    ("content_type", "text/plain"),
    ("charset", "UTF-8"),
    ("text", "Back on Monday."),
    ("attachment", "form.pdf"),
    ("forward", "desk@elsewhere.example"),
]


def _create_autoresponder(w: World) -> None:
    site, name = _mailbox(w, REPLY)
    assert _reply(_info(w, site, name)) == FULL_REPLY
    # a bad content type is Plesk's 1019 and makes nothing
    bad = REPLY.replace("text/plain", "text/rtf")
    site2, _ = _webspace(w)
    code, _ = _error(
        w,
        f"<mail><create><filter><site-id>{site2}</site-id><mailname><name>x</name>{bad}"
        "</mailname></filter></create></mail>",
        "mail/create",
    )
    assert code == 1019
    assert w.panel.mail.list(factories.admin(w.panel), _domain(w, site2)) == []


def _create_antivir(w: World) -> None:
    site, name = _mailbox(w, "<antivir>inout</antivir>")
    assert _info(w, site, name, "").findtext("antivir") == "inout"
    code, _ = _error(
        w,
        f"<mail><create><filter><site-id>{site}</site-id><mailname><name>{w.fresh('v')}</name>"
        "<antivir>sometimes</antivir></mailname></filter></create></mail>",
        "mail/create",
    )
    assert code == 1019


def _create_limit(w: World) -> None:
    site, name = _mailbox(w, "<outgoing-messages-mbox-limit>250</outgoing-messages-mbox-limit>")
    assert _info(w, site, name, "").findtext("outgoing-messages-mbox-limit") == "250"
    # Plesk's order: antivir, then the limit, then the description
    site2, name2 = _mailbox(
        w,
        "<antivir>in</antivir><outgoing-messages-mbox-limit>unlimited"
        "</outgoing-messages-mbox-limit><description>d</description>",
    )
    tags = [str(c.tag) for c in _info(w, site2, name2, "<description/>")]
    assert tags[-3:] == ["antivir", "outgoing-messages-mbox-limit", "description"]


def _add_autoresponder(w: World) -> None:
    site, name = _mailbox(w, REPLY)
    _update_ok(
        w,
        "add",
        site,
        f"<mailname><name>{name}</name><autoresponder><subject>Gone</subject>"
        "<attachment><file-name>map.png</file-name></attachment></autoresponder></mailname>",
    )
    got = dict(_reply(_info(w, site, name)))
    assert got["subject"] == "Gone" and got["text"] == "Back on Monday."
    files = [v for k, v in _reply(_info(w, site, name)) if k == "attachment"]
    assert files == ["form.pdf", "map.png"]


def _remove_autoresponder(w: World) -> None:
    site, name = _mailbox(w, REPLY)
    _update_ok(
        w,
        "remove",
        site,
        f"<mailname><name>{name}</name><autoresponder><subject/>"
        "<attachment><file-name>form.pdf</file-name></attachment></autoresponder></mailname>",
    )
    got = _reply(_info(w, site, name))
    assert ("subject", "Away") not in got and ("attachment", "form.pdf") not in got
    assert ("text", "Back on Monday.") in got
    # an empty autoresponder element forgets it whole
    _update_ok(w, "remove", site, f"<mailname><name>{name}</name><autoresponder/></mailname>")
    assert _reply(_info(w, site, name)) == [("enabled", "false")]


def _set_id(w: World) -> None:
    site, name = _mailbox(w)
    found = w.panel.mail.get(factories.admin(w.panel), _domain(w, site), name)
    assert found is not None
    _update_ok(
        w,
        "set",
        site,
        f"<mailname><id>{found.id}</id><name>{name}</name><description>by id</description>"
        "</mailname>",
    )
    assert _info(w, site, name, "<description/>").findtext("description") == "by id"
    result = _update(
        w, "set", site, f"<mailname><id>{found.id + 999}</id><name>{name}</name></mailname>"
    )
    assert result.findtext("errcode") == "1013"


def _set_autoresponder(w: World) -> None:
    site, name = _mailbox(w, REPLY)
    _update_ok(
        w,
        "set",
        site,
        f"<mailname><name>{name}</name><autoresponder><enabled>false</enabled>"
        "<attachment><file-name>new.txt</file-name></attachment></autoresponder></mailname>",
    )
    got = _reply(_info(w, site, name))
    assert got[0] == ("enabled", "false")
    assert [v for k, v in got if k == "attachment"] == ["new.txt"]
    assert ("subject", "Away") in got


def _set_user_guid(w: World) -> None:
    site, name = _mailbox(w)
    guid = "5c0e5a8e-2d0b-4a8e-9d6c-3f1f2c7b9a10"
    _update_ok(
        w, "set", site, f"<mailname><name>{name}</name><user-guid>{guid}</user-guid></mailname>"
    )
    assert _info(w, site, name, "").findtext("user-guid") == guid


def _set_antivir(w: World) -> None:
    site, name = _mailbox(w, "<antivir>in</antivir>")
    _update_ok(w, "set", site, f"<mailname><name>{name}</name><antivir>off</antivir></mailname>")
    assert _info(w, site, name, "").findtext("antivir") == "off"


def _set_limit(w: World) -> None:
    site, name = _mailbox(w)
    _update_ok(
        w,
        "set",
        site,
        f"<mailname><name>{name}</name><outgoing-messages-mbox-limit>default"
        "</outgoing-messages-mbox-limit></mailname>",
    )
    assert _info(w, site, name, "").findtext("outgoing-messages-mbox-limit") == "default"
    result = _update(
        w,
        "set",
        site,
        f"<mailname><name>{name}</name><outgoing-messages-mbox-limit>lots"
        "</outgoing-messages-mbox-limit></mailname>",
    )
    assert result.findtext("errcode") == "1019"
    assert _info(w, site, name, "").findtext("outgoing-messages-mbox-limit") == "default"


def _password_hash(w: World, site: int, name: str) -> str:
    m = tables.mail_names
    with w.panel.db.read() as conn:
        return str(
            conn.execute(
                sa.select(m.c.password_hash).where(m.c.domain_id == site, m.c.name == name)
            ).scalar_one()
        )


def _set_password_without_value(w: World) -> None:
    site, name = _mailbox(w, "<password><value>Old-pass-123</value></password>")
    before = _password_hash(w, site, name)
    _update_ok(
        w,
        "set",
        site,
        f"<mailname><name>{name}</name><password><type>plain</type></password>"
        "<description>kept pw</description></mailname>",
    )
    assert _password_hash(w, site, name) == before
    assert _info(w, site, name, "<description/>").findtext("description") == "kept pw"


def _get_info_autoresponder(w: World) -> None:
    site, name = _mailbox(w)
    # never set: Plesk answers the autoresponder off
    assert _reply(_info(w, site, name)) == [("enabled", "false")]
    site2, name2 = _mailbox(w, REPLY)
    info = _info(w, site2, name2, "<aliases/><autoresponder/><description/>")
    assert [str(c.tag) for c in info][:3] == ["id", "name", "autoresponder"]
    # purged with the mail name
    found = w.panel.mail.get(factories.admin(w.panel), _domain(w, site2), name2)
    assert found is not None and found.settings
    w.ok(
        f"<mail><remove><filter><site-id>{site2}</site-id><name>{name2}</name></filter>"
        "</remove></mail>",
        "mail/remove",
    )
    p = tables.properties
    with w.panel.db.read() as conn:
        left = conn.execute(
            sa.select(sa.func.count()).where(p.c.kind == "mail_name", p.c.object_id == found.id)
        ).scalar()
    assert left == 0


# -- certificate ----------------------------------------------------------------------

INFO = (
    "<info><bits>2048</bits><country>DE</country><state>Berlin</state>"
    "<location>Berlin</location><company>Shapes</company><email>ssl@shapes.example</email>"
    "<name>{name}</name></info>"
)


def _generated(w: World, name: str, pvt: str = "") -> tuple[str, str]:
    extra = f"<PVT>{pvt}</PVT>" if pvt else ""
    (result,) = w.ok(
        f"<certificate><generate>{INFO.format(name=name)}{extra}</generate></certificate>",
        "certificate/generate",
    )
    return result.findtext("csr") or "", result.findtext("pvt") or ""


def _public_of_csr(csr: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return (
        x509.load_pem_x509_csr(csr.encode())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _generate_pvt(w: World) -> None:
    csr, key = _generated(w, "one.shapes.example")
    again, pvt = _generated(w, "two.shapes.example", key)
    assert pvt.strip() == key.strip()
    assert _public_of_csr(again) == _public_of_csr(csr)  # the CSR is for the key given
    code, _ = _error(
        w,
        f"<certificate><generate>{INFO.format(name='x.example')}<PVT>not a key</PVT>"
        "</generate></certificate>",
        "certificate/generate",
    )
    assert code == 1019


def _ip_certificate(w: World, address: str) -> str:
    found = w.panel.ips.get(address)
    assert found is not None
    return found.certificate_name


def _install_ip(w: World, step: str) -> None:
    name = w.fresh("ipcert")
    csr, key = _generated(w, f"{name}.shapes.example")
    content = f"<content><csr>{csr}</csr><pvt>{key}</pvt></content>"
    if step == "update":
        w.ok(
            f"<certificate><install><name>{name}</name><admin/>{content}</install></certificate>",
            "certificate/install",
        )
    w.ok(
        f"<certificate><{step}><name>{name}</name><admin/>{content}"
        f"<ip_address>127.0.0.1</ip_address></{step}></certificate>",
        f"certificate/{step}",
    )
    assert _ip_certificate(w, "127.0.0.1") == name
    # an address the server does not have is 1013, and nothing is installed
    other = w.fresh("ipcert")
    code, _ = _error(
        w,
        f"<certificate><install><name>{other}</name><admin/>{content}"
        "<ip_address>198.51.100.77</ip_address></install></certificate>",
        "certificate/install",
    )
    assert code == 1013
    assert other not in [c.name for c in w.panel.certificates.list("admin")]
    # removed from the server pool: the address has no certificate any more
    w.ok(
        f"<certificate><remove><filter><name>{name}</name></filter><admin/></remove></certificate>",
        "certificate/remove",
    )
    assert _ip_certificate(w, "127.0.0.1") == ""


def _pool_names(result: etree._Element) -> list[str]:
    return [n.text or "" for n in result.findall("certificates/certificate/name")]


def _get_pool_by(w: World, kind: str) -> None:
    ws_id, ws_name = _webspace(w)
    csr, key = _generated(w, ws_name)
    name = w.fresh("poolcert")
    w.ok(
        f"<certificate><install><name>{name}</name><webspace>{ws_name}</webspace>"
        f"<content><csr>{csr}</csr><pvt>{key}</pvt></content></install></certificate>",
        "certificate/install",
    )
    domain = _domain(w, ws_id)
    assert domain is not None
    asked = str(ws_id) if kind == "domain-id" else domain.guid
    missing = "999999" if kind == "domain-id" else "00000000-0000-0000-0000-000000000000"
    root = w.call(
        f"<certificate><get-pool><filter><{kind}>{asked}</{kind}><{kind}>{missing}</{kind}>"
        "</filter></get-pool></certificate>"
    )
    found, unknown = root.findall("certificate/get-pool/result")
    assert found.findtext("status") == "ok" and found.findtext("filter-id") == asked
    assert _pool_names(found) == [name]
    assert unknown.findtext("errcode") == "1013" and unknown.findtext("filter-id") == missing


CERTIFICATE_CASES = [
    Case("certificate/generate: accept `PVT` (0..1, string)", _generate_pvt),
    Case(
        "certificate/install: accept `ip_address` (0..1, ip_address)",
        lambda w: _install_ip(w, "install"),
    ),
    Case(
        "certificate/update: accept `ip_address` (0..1, ip_address)",
        lambda w: _install_ip(w, "update"),
    ),
    Case(
        "certificate/get-pool: accept `filter/domain-id` (0..∞, id_type)",
        lambda w: _get_pool_by(w, "domain-id"),
    ),
    Case(
        "certificate/get-pool: accept `filter/domain-guid` (0..∞, string)",
        lambda w: _get_pool_by(w, "domain-guid"),
    ),
]


# -- database -------------------------------------------------------------------------


def _database(w: World) -> tuple[int, int, int]:
    """A fresh MySQL database on a fresh subscription: (db id, webspace id, server id)."""
    ws = _subscription(w)
    made = factories.database(w.panel, ws, w.fresh("db"))
    return made.id, ws.id, made.server_id


def _add_user(w: World, db_id: int, extra: str = "", head: str = "") -> int:
    (result,) = w.ok(
        f"<database><add-db-user>{head or f'<db-id>{db_id}</db-id>'}"
        f"<login>{w.fresh('u')}</login><password>Db-pass-123</password>{extra}"
        "</add-db-user></database>",
        "database/add-db-user",
    )
    return int(result.findtext("id") or 0)


def _db_user(w: World, user_id: int) -> etree._Element:
    (result,) = w.ok(
        f"<database><get-db-users><filter><id>{user_id}</id></filter></get-db-users></database>",
        "database/get-db-users",
    )
    return result


def _user_count(w: World) -> int:
    with w.panel.db.read() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(tables.db_users)).scalar_one()
        )


def _add_user_error(w: World, inner: str) -> int:
    before = _user_count(w)
    code, _ = _error(
        w, f"<database><add-db-user>{inner}</add-db-user></database>", "database/add-db-user"
    )
    assert _user_count(w) == before
    return code


def _add_webspace_id(w: World) -> None:
    db_id, ws_id, _ = _database(w)
    user = _add_user(w, db_id, head=f"<db-id>{db_id}</db-id><webspace-id>{ws_id}</webspace-id>")
    assert _db_user(w, user).findtext("db-id") == str(db_id)
    other, _ = _webspace(w)  # not the database's subscription: 1019, nothing made
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><webspace-id>{other}</webspace-id><login>{w.fresh('u')}</login>"
        "<password>Db-pass-123</password>",
    )
    assert code == 1019
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><webspace-id>999999</webspace-id><login>{w.fresh('u')}</login>"
        "<password>Db-pass-123</password>",
    )
    assert code == 1013


def _add_server_id(w: World) -> None:
    db_id, _, server_id = _database(w)
    user = _add_user(
        w, db_id, head=f"<db-id>{db_id}</db-id><db-server-id>{server_id}</db-server-id>"
    )
    assert _db_user(w, user).findtext("db-id") == str(db_id)
    other = next(s.id for s in w.panel.databases.servers() if s.id != server_id)
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><db-server-id>{other}</db-server-id><login>{w.fresh('u')}</login>"
        "<password>Db-pass-123</password>",
    )
    assert code == 1019


def _kept_password(w: World, user_id: int) -> str:
    u = tables.db_users
    with w.panel.db.read() as conn:
        return str(conn.execute(sa.select(u.c.password_hash).where(u.c.id == user_id)).scalar_one())


MYSQL_HASH = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"


def _password_type_add(w: World) -> None:
    db_id, _, _ = _database(w)
    crypt = _add_user(w, db_id, "<password-type>crypt</password-type>")
    assert _kept_password(w, crypt) == "{crypt}Db-pass-123"
    plain = _add_user(w, db_id, "<password-type>plain</password-type>")
    assert _kept_password(w, plain).startswith("$argon2")
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><login>{w.fresh('u')}</login><password>x-Pass-123</password>"
        "<password-type>sym</password-type>",
    )
    assert code == 1019


def _password_type_set(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id)
    w.ok(
        f"<database><set-db-user><id>{user}</id><password>{MYSQL_HASH}</password>"
        "<password-type>crypt</password-type></set-db-user></database>",
        "database/set-db-user",
    )
    assert _kept_password(w, user) == "{crypt}" + MYSQL_HASH


def _hosts(result: etree._Element) -> list[str]:
    return [h.text or "" for h in result.findall("acl/host")]


def _addresses(result: etree._Element) -> list[str]:
    return [a.text or "" for a in result.findall("allow-access-from/ip-address")]


def _acl_add(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id, "<acl><host>localhost</host><host>10.0.%</host></acl>")
    result = _db_user(w, user)
    assert _hosts(result) == ["localhost", "10.0.%"]
    tags = [str(c.tag) for c in result]
    assert tags[tags.index("login") :] == ["login", "db-id", "acl"]
    # the rows go with the user
    w.ok(
        f"<database><del-db-user><filter><id>{user}</id></filter></del-db-user></database>",
        "database/del-db-user",
    )
    p = tables.properties
    with w.panel.db.read() as conn:
        left = conn.execute(
            sa.select(sa.func.count()).where(p.c.kind == "db_user", p.c.object_id == user)
        ).scalar()
    assert left == 0


def _acl_set(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id, "<acl><host>localhost</host></acl>")
    w.ok(
        f"<database><set-db-user><id>{user}</id><acl><host>%</host></acl></set-db-user></database>",
        "database/set-db-user",
    )
    assert _hosts(_db_user(w, user)) == ["%"]
    code, _ = _error(
        w,
        f"<database><set-db-user><id>{user}</id><acl><host>bad host</host></acl></set-db-user>"
        "</database>",
        "database/set-db-user",
    )
    assert code == 1019
    assert _hosts(_db_user(w, user)) == ["%"]


def _allow_add(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(
        w,
        db_id,
        "<allow-access-from><ip-address>192.0.2.10</ip-address>"
        "<ip-address>198.51.100.0/24</ip-address></allow-access-from>",
    )
    assert _addresses(_db_user(w, user)) == ["192.0.2.10/32", "198.51.100.0/24"]
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><login>{w.fresh('u')}</login><password>x-Pass-123</password>"
        "<allow-access-from><ip-address>not-an-ip</ip-address></allow-access-from>",
    )
    assert code == 1019


def _allow_set(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id, "<acl><host>localhost</host></acl>")
    w.ok(
        f"<database><set-db-user><id>{user}</id><allow-access-from><ip-address>2001:db8::1"
        "</ip-address></allow-access-from></set-db-user></database>",
        "database/set-db-user",
    )
    result = _db_user(w, user)
    assert _addresses(result) == ["2001:db8::1/128"] and _hosts(result) == ["localhost"]


def _role_add(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id, "<acl><host>localhost</host></acl><role>readOnly</role>")
    result = _db_user(w, user)
    assert result.findtext("role") == "readOnly"
    assert [str(c.tag) for c in result][-2:] == ["acl", "role"]
    code = _add_user_error(
        w,
        f"<db-id>{db_id}</db-id><login>{w.fresh('u')}</login><password>x-Pass-123</password>"
        "<role>owner</role>",
    )
    assert code == 1019


def _role_set(w: World) -> None:
    db_id, _, _ = _database(w)
    user = _add_user(w, db_id, "<role>readOnly</role>")
    w.ok(
        f"<database><set-db-user><id>{user}</id><role>writeOnly</role></set-db-user></database>",
        "database/set-db-user",
    )
    assert _db_user(w, user).findtext("role") == "writeOnly"


def _db_id_optional(w: World) -> None:
    """Without db-id: a user of every database of the subscription on that server."""
    db_id, ws_id, server_id = _database(w)
    user = _add_user(
        w, db_id, head=f"<webspace-id>{ws_id}</webspace-id><db-server-id>{server_id}</db-server-id>"
    )
    got = _db_user(w, user)
    assert got.find("db-id") is None and got.findtext("id") == str(user)
    u = tables.db_users
    with w.panel.db.read() as conn:
        row = conn.execute(
            sa.select(u.c.database_id, u.c.domain_id, u.c.server_id).where(u.c.id == user)
        ).one()
    assert tuple(row) == (None, ws_id, server_id)
    # not one database's own user, so not listed under one
    (own,) = w.ok(
        f"<database><get-db-users><filter><db-id>{db_id}</db-id></filter></get-db-users>"
        "</database>",
        "database/get-db-users",
    )
    assert own.find("id") is None
    # both missing names nothing to make it in: 1019, nothing made
    code = _add_user_error(
        w, f"<db-server-id>{server_id}</db-server-id><login>{w.fresh('u')}</login>"
        "<password>Db-pass-123</password>",
    )  # fmt: skip
    assert code == 1019


DATABASE_CASES = [
    Case("database/add-db-user: accept `webspace-id` (0..1, id_type)", _add_webspace_id),
    Case("database/add-db-user: accept `db-server-id` (0..1, id_type)", _add_server_id),
    Case("database/add-db-user: accept `password-type` (0..1, passwdType)", _password_type_add),
    Case("database/add-db-user: accept `acl` (0..1, DatabaseUserAclType)", _acl_add),
    Case(
        "database/add-db-user: accept `allow-access-from` "
        "(0..1, DatabaseUserRemoteAccessRulesType)",
        _allow_add,
    ),
    Case("database/add-db-user: accept `role` (0..1, string)", _role_add),
    Case("database/add-db-user: `db-id`: Plesk takes 0..1, panelkey 1..1", _db_id_optional),
    Case("database/set-db-user: accept `password-type` (0..1, passwdType)", _password_type_set),
    Case("database/set-db-user: accept `acl` (0..1, DatabaseUserAclType)", _acl_set),
    Case(
        "database/set-db-user: accept `allow-access-from` "
        "(0..1, DatabaseUserRemoteAccessRulesType)",
        _allow_set,
    ),
    Case("database/set-db-user: accept `role` (0..1, string)", _role_set),
]


CASES = [
    Case("mail/create: accept `filter/mailname/autoresponder` (0..1, None)", _create_autoresponder),
    Case("mail/create: accept `filter/mailname/antivir` (0..1, Antivir)", _create_antivir),
    Case(
        "mail/create: accept `filter/mailname/outgoing-messages-mbox-limit` (0..1, string)",
        _create_limit,
    ),
    Case(
        "mail/update: accept `add/filter/mailname/autoresponder` (0..1, None)", _add_autoresponder
    ),
    Case(
        "mail/update: accept `remove/filter/mailname/autoresponder` (0..1, None)",
        _remove_autoresponder,
    ),
    Case("mail/update: accept `set/filter/mailname/id` (0..1, id_type)", _set_id),
    Case(
        "mail/update: accept `set/filter/mailname/autoresponder` (0..1, None)", _set_autoresponder
    ),
    Case("mail/update: accept `set/filter/mailname/user-guid` (0..1, string)", _set_user_guid),
    Case("mail/update: accept `set/filter/mailname/antivir` (0..1, Antivir)", _set_antivir),
    Case(
        "mail/update: accept `set/filter/mailname/outgoing-messages-mbox-limit` (0..1, string)",
        _set_limit,
    ),
    Case(
        "mail/update: `set/filter/mailname/password/value`: Plesk takes 0..1, panelkey 1..1",
        _set_password_without_value,
    ),
    Case("mail/get_info: accept `autoresponder` (0..1)", _get_info_autoresponder),
    *DATABASE_CASES,
    *CERTIFICATE_CASES,
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
