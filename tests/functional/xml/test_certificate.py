"""Operator certificate: a real key pair and CSR from generate, certificates installed only
when they parse and match their key, per operation: the happy path, the order fault, the
unknown object, the caller without rights."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtensionOID, NameOID
from lxml import etree

from panelkey.core.panel import Panel
from panelkey.journal import redact_xml
from panelkey.store import tables
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    call,
    error_of,
    ok,
    one,
    order_fault,
    packet,
    results,
)

BOTH = ["sqlite", "postgresql"]
INFO = (
    "<info><bits>{bits}</bits><country>CH</country><state>Schaffhausen</state>"
    "<location>Neuhausen</location><company>Example AG</company><dept>Ops</dept>"
    "<email>ops@dave.example</email>{names}</info>"
)


def _generate(xml: XmlClient, bits: str = "2048", names: str = "<name>dave.example</name>"):
    return one(xml, "certificate", "generate", INFO.format(bits=bits, names=names))


def _self_signed(key: rsa.RSAPrivateKey, name: str) -> str:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _install(
    xml: XmlClient,
    name: str,
    content: str,
    repo: str = "<webspace>dave.example</webspace>",
    operation: str = "install",
    key: str | None = None,
) -> etree._Element:
    inner = f"<name>{name}</name>{repo}<content>{content}</content>"
    return one(xml, "certificate", operation, inner, key)


def _names(xml: XmlClient, flt: str, key: str | None = None) -> list[list[str]]:
    found = results(call(xml, "certificate", "get-pool", flt, key), "certificate/get-pool")
    return [[n.text or "" for n in r.findall("certificates/certificate/name")] for r in found]


def _count(panel: Panel) -> int:
    with panel.db.read() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(tables.certificates)).scalar() or 0
        )


def test_generate_makes_a_csr_for_the_names_asked_and_its_key(xml: XmlClient, panel: Panel) -> None:
    before = panel.events.last_id()
    made = ok(_generate(xml, names="<name>dave.example</name><name>www.dave.example</name>"))
    assert [c.tag for c in made] == ["status", "csr", "pvt"]
    csr_pem, key_pem = made.findtext("csr") or "", made.findtext("pvt") or ""
    assert csr_pem.startswith("-----BEGIN CERTIFICATE REQUEST-----")
    assert key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    assert csr.is_signature_valid
    subject = {a.oid: a.value for a in csr.subject}
    assert subject == {
        NameOID.COUNTRY_NAME: "CH",
        NameOID.STATE_OR_PROVINCE_NAME: "Schaffhausen",
        NameOID.LOCALITY_NAME: "Neuhausen",
        NameOID.ORGANIZATION_NAME: "Example AG",
        NameOID.ORGANIZATIONAL_UNIT_NAME: "Ops",
        NameOID.EMAIL_ADDRESS: "ops@dave.example",
        NameOID.COMMON_NAME: "dave.example",
    }
    san = csr.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert san.get_values_for_type(x509.DNSName) == ["dave.example", "www.dave.example"]
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(serialization.Encoding.PEM, public) == (
        csr.public_key().public_bytes(serialization.Encoding.PEM, public)
    )
    small = ok(_generate(xml, bits="1024"))
    small_key = serialization.load_pem_private_key((small.findtext("pvt") or "").encode(), None)
    assert isinstance(small_key, rsa.RSAPrivateKey) and small_key.key_size == 1024
    assert panel.events.last_id() == before  # generate keeps nothing


def test_generate_refuses_silly_sizes_and_bad_subjects(xml: XmlClient) -> None:
    for bits in ("512", "1000", "65536", "-2048", "lots"):
        assert error_of(_generate(xml, bits=bits))[0] == 1019, bits
    bad_country = INFO.format(bits="2048", names="<name>dave.example</name>").replace(
        "<country>CH</country>", "<country>C1</country>"
    )
    assert error_of(one(xml, "certificate", "generate", bad_country))[0] == 1019
    assert error_of(_generate(xml, names="<name>not a name</name>"))[0] == 1019


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_install_update_remove_and_the_pool(xml: XmlClient, panel: Panel, world: World) -> None:
    made = ok(_generate(xml))
    csr, pvt = made.findtext("csr") or "", made.findtext("pvt") or ""
    ok(_install(xml, "dave-csr", f"<csr>{csr}</csr><pvt>{pvt}</pvt>"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert, ca = _self_signed(key, "dave.example"), _self_signed(ca_key, "Test CA")
    full = f"<pvt>{_pem(key)}</pvt><cert>{cert}</cert><ca>{ca}</ca>"
    ok(_install(xml, "dave-full", full, repo="<site>dave.example</site>"))
    assert error_of(_install(xml, "dave-full", full))[0] == 1007
    assert _names(xml, "<filter><domain-name>dave.example</domain-name></filter>") == [
        ["dave-csr", "dave-full"]
    ]
    ok(_install(xml, "pooled", full, repo="<admin/>"))
    assert _names(xml, "<admin/>") == [["pooled"]]
    ok(_install(xml, "dave-csr", full, operation="update"))
    with panel.db.read() as conn:
        kept = conn.execute(
            sa.select(tables.certificates.c.certificate, tables.certificates.c.private_key).where(
                tables.certificates.c.name == "dave-csr"
            )
        ).one()
    assert kept.certificate == cert.strip() and kept.private_key == _pem(key).strip()
    assert error_of(_install(xml, "nothing-here", full, operation="update")) == (
        1013,
        "Certificate does not exist",
    )
    removed = results(
        call(
            xml,
            "certificate",
            "remove",
            "<filter><name>dave-csr</name><name>nothing-here</name></filter>"
            "<webspace>dave.example</webspace>",
        ),
        "certificate/remove",
    )
    assert ok(removed[0]) is not None
    assert error_of(removed[1]) == (1013, "Certificate does not exist")
    assert _names(xml, "<filter><domain-name>dave.example</domain-name></filter>") == [
        ["dave-full"]
    ]
    events = [e for e in panel.events.list() if e.obj_class == "certificate"]
    assert [e.action for e in events] == [
        "certificate_create", "certificate_create", "certificate_create", "certificate_update",
        "certificate_delete",
    ]  # fmt: skip
    assert not any("PRIVATE KEY" in str(e.new_values) + str(e.old_values) for e in events)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_mismatched_or_broken_install_is_refused_and_writes_nothing(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _self_signed(key, "dave.example")
    made = ok(_generate(xml))
    before_events, before = panel.events.last_id(), _count(panel)
    refused = {
        "mismatch": f"<pvt>{_pem(other)}</pvt><cert>{cert}</cert>",
        "csr of another key": f"<csr>{made.findtext('csr')}</csr><pvt>{_pem(other)}</pvt>",
        "no key": f"<pvt>not a key</pvt><cert>{cert}</cert>",
        "no certificate": f"<pvt>{_pem(key)}</pvt><cert>-----BEGIN CERTIFICATE-----\nAAAA\n"
        "-----END CERTIFICATE-----</cert>",
        "bad ca": f"<pvt>{_pem(key)}</pvt><cert>{cert}</cert><ca>garbage</ca>",
        "key alone": f"<pvt>{_pem(key)}</pvt>",
    }
    for what, content in refused.items():
        code, text = error_of(
            _install(xml, "refused", content, repo="<webspace>dave.example</webspace>")
        )
        assert code == 1019, (what, text)
        assert "PRIVATE" not in text
    code, text = error_of(_install(xml, "refused", refused["mismatch"]))
    assert text == "The certificate does not match the private key"
    assert (_count(panel), panel.events.last_id()) == (before, before_events)


def test_unknown_repositories_and_names_are_1013(xml: XmlClient, world: World) -> None:
    made = ok(_generate(xml))
    content = f"<csr>{made.findtext('csr')}</csr><pvt>{made.findtext('pvt')}</pvt>"
    assert error_of(_install(xml, "c", content, repo="<webspace>no.example</webspace>")) == (
        1013,
        "Webspace does not exist",
    )
    assert error_of(_install(xml, "c", content, repo="<site>no.example</site>")) == (
        1013,
        "Site does not exist",
    )
    (miss,) = results(
        call(
            xml, "certificate", "get-pool", "<filter><domain-name>no.example</domain-name></filter>"
        ),
        "certificate/get-pool",
    )
    assert error_of(miss) == (1013, "Site does not exist")
    assert miss.findtext("filter-id") == "no.example"
    gone = one(xml, "certificate", "remove", "<filter><name>c</name></filter><admin/>")
    assert error_of(gone) == (1013, "Certificate does not exist")


def test_admin_takes_any_content_as_in_plesks_schema(xml: XmlClient, world: World) -> None:
    """Plesk declares `admin` without a type; clients send `<admin>1</admin>`. Each
    operation with it acts on the server pool, as with `<admin/>`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    full = f"<pvt>{_pem(key)}</pvt><cert>{_self_signed(key, 'pool.example')}</cert>"
    for admin in ("<admin>1</admin>", "<admin>true</admin>"):
        ok(_install(xml, "by-flag", full, repo=admin))
        ok(_install(xml, "by-flag", full, repo=admin, operation="update"))
        assert _names(xml, admin) == [["by-flag"]]
        gone = one(xml, "certificate", "remove", f"<filter><name>by-flag</name></filter>{admin}")
        ok(gone)
        assert _names(xml, "<admin/>") == [[]]


def test_requests_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    faults = {
        "generate": (
            "<info><country>CH</country><bits>2048</bits></info>",
            "element 'country' is not expected",
        ),
        "install": (
            "<webspace>a.example</webspace><name>c</name><content><pvt>k</pvt></content>",
            "element 'webspace' is not expected",
        ),
        "update": (
            "<name>c</name><admin/><content><pvt>k</pvt><csr>r</csr></content>",
            "element 'csr' is not expected",
        ),
        "remove": ("<admin/><filter><name>c</name></filter>", "element 'admin' is not expected"),
        "get-pool": (
            "<admin/><filter><domain-name>a.example</domain-name></filter>",
            "element 'filter' is not expected",
        ),
    }
    for operation, (inner, expected) in faults.items():
        text = order_fault(xml, "certificate", operation, inner)
        assert expected in text, (operation, text)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_customer_cannot_reach_another_customers_certificates(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    made = ok(_generate(xml))
    content = f"<csr>{made.findtext('csr')}</csr><pvt>{made.findtext('pvt')}</pvt>"
    carols = "<webspace>carol.example</webspace>"
    ok(_install(xml, "carol", content, repo=carols, key=world.carol.key))
    dave = world.dave.key
    assert error_of(_install(xml, "mine", content, repo=carols, key=dave))[0] == 1013
    assert (
        error_of(_install(xml, "carol", content, repo=carols, operation="update", key=dave))[0]
        == 1013
    )
    removal = one(
        xml, "certificate", "remove", f"<filter><name>carol</name></filter>{carols}", dave
    )
    assert error_of(removal)[0] == 1013
    flt = "<filter><domain-name>carol.example</domain-name></filter>"
    (theirs,) = results(call(xml, "certificate", "get-pool", flt, dave), "certificate/get-pool")
    assert error_of(theirs)[0] == 1013
    assert _names(xml, flt, world.reseller.key) == [["carol"]]
    assert error_of(_install(xml, "pool", content, repo="<admin/>", key=world.carol.key))[0] == 1006
    (pool,) = results(
        call(xml, "certificate", "get-pool", "<admin/>", dave), "certificate/get-pool"
    )
    assert error_of(pool)[0] == 1006
    assert _count(panel) == 1


def test_private_keys_and_passwords_are_redacted_in_the_journal() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    secret = _pem(key)
    bodies = [
        packet(f"<certificate><install><name>c</name><admin/><content><pvt>{secret}</pvt>"
               "</content></install></certificate>").decode(),
        f"<packet><certificate><generate><result><status>ok</status><csr>x</csr><pvt>{secret}"
        "</pvt></result></generate></certificate></packet>",
        packet("<mail><create><filter><site-id>1</site-id><mailname><name>a</name><password>"
               "<value>Mail-Secret-1</value></password></mailname></filter></create></mail>").decode(),
        packet("<database><add-db-user><db-id>1</db-id><login>u</login><password>Db-Secret-1"
               "</password></add-db-user></database>").decode(),
    ]  # fmt: skip
    for body in bodies:
        redacted = redact_xml(body)
        assert "PRIVATE KEY" not in redacted and "Secret-1" not in redacted, redacted


# -- every operation: the table's rows (operation_table.py) -------------------------------


TABLE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CONTENT = (
    f"<content><pvt>{_pem(TABLE_KEY)}</pvt><cert>{_self_signed(TABLE_KEY, 'carol.example')}"
    "</cert></content>"
)
CAROLS = "<webspace>carol.example</webspace>"
INSTALLED = (
    f"<certificate><install><name>carol-cert</name>{CAROLS}{CONTENT}</install></certificate>"
)
CASES = [
    Case(
        "certificate",
        "generate",
        INFO.format(bits="2048", names="<name>carol.example</name>"),
        "<generate><info><country>CH</country><bits>2048</bits></info></generate>",
        "country",
        None,
        "",
        None,
    ),
    Case(
        "certificate",
        "install",
        f"<name>carol-cert</name>{CAROLS}{CONTENT}",
        f"<install>{CAROLS}<name>carol-cert</name>{CONTENT}</install>",
        "webspace",
        f"<name>carol-cert</name><webspace>nowhere.example</webspace>{CONTENT}",
        "Webspace does not exist",
        "dave",
        1013,
    ),
    Case(
        "certificate",
        "update",
        f"<name>carol-cert</name>{CAROLS}{CONTENT}",
        "<update><name>carol-cert</name><admin/><content><pvt>k</pvt><csr>r</csr></content>"
        "</update>",
        "csr",
        f"<name>nothing-here</name>{CAROLS}{CONTENT}",
        "Certificate does not exist",
        "dave",
        1013,
        before=INSTALLED,
    ),
    Case(
        "certificate",
        "remove",
        f"<filter><name>carol-cert</name></filter>{CAROLS}",
        "<remove><admin/><filter><name>carol-cert</name></filter></remove>",
        "admin",
        f"<filter><name>nothing-here</name></filter>{CAROLS}",
        "Certificate does not exist",
        "dave",
        1013,
        before=INSTALLED,
    ),
    Case(
        "certificate",
        "get-pool",
        "<filter><domain-name>carol.example</domain-name></filter>",
        "<get-pool><admin/><filter><domain-name>carol.example</domain-name></filter></get-pool>",
        "filter",
        "<filter><domain-name>nowhere.example</domain-name></filter>",
        "Site does not exist",
        "dave",
        1013,
        before=INSTALLED,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
