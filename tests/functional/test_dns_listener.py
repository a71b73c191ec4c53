"""`panelkey serve --dns-port 0` over real sockets: records written through the XML API
are answered by the DNS listener (UDP and TCP), and pebble, Let's Encrypt's test CA,
issues a certificate by validating a DNS-01 challenge against it."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.resolver
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree

from tests.conftest import (
    ADMIN_PASSWORD,
    MigratedTemplates,
    Server,
    free_port,
    make_server,
    premigrated,
    system_trust,
)
from tests.functional.xml.xml_helpers import AGENT, packet, parse

ZONE = "acme-zone.test"


@dataclass
class Live:
    server: Server
    dns_port: int
    site_id: str

    def xml(self, inner: str) -> etree._Element:
        with httpx.Client(timeout=10, verify=system_trust()) as client:
            response = client.post(
                self.server.http_url + AGENT,
                content=packet(inner),
                headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD},
            )
        return parse(response)

    def ok(self, inner: str, path: str) -> etree._Element:
        root = self.xml(inner)
        result = root.find(f"{path}/result")
        assert result is not None and result.findtext("status") == "ok", etree.tostring(root)
        return result

    def add_txt(self, host: str, value: str) -> str:
        result = self.ok(
            f"<dns><add_rec><site-id>{self.site_id}</site-id><type>TXT</type>"
            f"<host>{host}</host><value>{value}</value></add_rec></dns>",
            "dns/add_rec",
        )
        return result.findtext("id") or ""

    def del_rec(self, record_id: str) -> None:
        self.ok(
            f"<dns><del_rec><filter><id>{record_id}</id></filter></del_rec></dns>", "dns/del_rec"
        )

    def resolver(self, tcp: bool = False) -> dns.resolver.Resolver:
        r = dns.resolver.Resolver(configure=False)
        r.nameservers = ["127.0.0.1"]
        r.port = self.dns_port
        r.lifetime = 3
        r.cache = None
        return r

    def query(self, name: str, kind: str, tcp: bool = False) -> dns.message.Message:
        q = dns.message.make_query(name, kind)
        send = dns.query.tcp if tcp else dns.query.udp
        return send(q, "127.0.0.1", port=self.dns_port, timeout=3)


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Live]:
    made = make_server(tmp_path_factory.mktemp("dns"))  # on a copy of the migrated store
    server = premigrated(made, migrated_templates).start("--dns-port", "0")
    try:
        port = 0
        deadline = time.monotonic() + 10
        while not port and time.monotonic() < deadline:
            found = re.search(r"DNS listening on 127\.0\.0\.1:(\d+)", server.log_text())
            port = int(found.group(1)) if found else 0
            time.sleep(0.05)
        assert port, server.log_text()
        live = Live(server, port, "")
        # A documentation address, added to the pool first: webspace/add takes only pool IPs.
        live.ok(
            "<ip><add><ip_address>192.0.2.10</ip_address><netmask>255.255.255.0</netmask>"
            "<type>shared</type><interface>eth9</interface></add></ip>",
            "ip/add",
        )
        result = live.ok(
            f"<webspace><add><gen_setup><name>{ZONE}</name><ip_address>192.0.2.10</ip_address>"
            "</gen_setup></add></webspace>",
            "webspace/add",
        )
        live.site_id = result.findtext("id") or ""
        yield live
    finally:
        server.stop()


def test_a_txt_record_added_over_xml_is_answered_then_gone(live: Live) -> None:
    name = f"_probe.{ZONE}."
    assert live.query(name, "TXT").rcode() == dns.rcode.NXDOMAIN
    rid = live.add_txt("_probe", "hello-dns")
    for tcp in (False, True):
        answer = live.resolver().resolve(name, "TXT", tcp=tcp)
        assert [b"".join(r.strings) for r in answer] == [b"hello-dns"]
        assert answer.response.flags & dns.flags.AA
    live.del_rec(rid)
    for tcp in (False, True):
        gone = live.query(name, "TXT", tcp=tcp)
        assert gone.rcode() == dns.rcode.NXDOMAIN
        assert [rr.rdtype for rr in gone.authority] == [dns.rdatatype.SOA]


def test_nodata_refused_and_the_template_records(live: Live) -> None:
    www = live.query(f"www.{ZONE}.", "A")
    assert [rr.to_text().split()[-1] for rr in www.answer] == ["192.0.2.10"]
    nodata = live.query(f"www.{ZONE}.", "AAAA", tcp=True)
    assert nodata.rcode() == dns.rcode.NOERROR and not nodata.answer
    assert nodata.authority[0].rdtype == dns.rdatatype.SOA and nodata.flags & dns.flags.AA
    outside = live.query("example.org.", "A")
    assert outside.rcode() == dns.rcode.REFUSED and not outside.flags & dns.flags.AA
    mx = live.query(f"{ZONE}.", "MX")
    assert mx.answer[0].to_text().endswith(f"10 mail.{ZONE}.")
    live.ok(
        f"<dns><disable><filter><site-id>{live.site_id}</site-id></filter></disable></dns>",
        "dns/disable",
    )
    try:
        assert live.query(f"www.{ZONE}.", "A").rcode() == dns.rcode.REFUSED
    finally:
        live.ok(
            f"<dns><enable><filter><site-id>{live.site_id}</site-id></filter></enable></dns>",
            "dns/enable",
        )
    assert live.query(f"www.{ZONE}.", "A").rcode() == dns.rcode.NOERROR


# -- ACME DNS-01 with pebble -----------------------------------------------------------


def _tls_for_pebble(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a certificate for 127.0.0.1 that pebble serves ACME with."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "panelkey test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture
def pebble(live: Live, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """pebble on a free port, validating DNS-01 against panelkey's DNS listener."""
    binary = shutil.which("pebble")
    if binary is None:
        pytest.skip("pebble (Let's Encrypt's test CA) is not installed: apt-get install pebble")
    ca, cert, key = _tls_for_pebble(tmp_path)
    port = free_port()
    config = {
        "pebble": {
            "listenAddress": f"127.0.0.1:{port}",
            "managementListenAddress": f"127.0.0.1:{free_port()}",
            "certificate": str(cert),
            "privateKey": str(key),
            "httpPort": free_port(),
            "tlsPort": free_port(),
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }
    }
    (tmp_path / "pebble.json").write_text(json.dumps(config))
    env = {
        "PATH": "/usr/bin:/bin",
        "PEBBLE_VA_NOSLEEP": "1",
        "PEBBLE_VA_ALWAYS_VALID": "0",
        "PEBBLE_WFE_NONCEREJECT": "0",
        "PEBBLE_AUTHZREUSE": "0",
    }
    with open(tmp_path / "pebble.log", "w") as log:
        proc = subprocess.Popen(
            [
                binary,
                "-config",
                str(tmp_path / "pebble.json"),
                "-dnsserver",
                f"127.0.0.1:{live.dns_port}",
                "-strict=false",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"pebble did not start: {(tmp_path / 'pebble.log').read_text()}")
                time.sleep(0.05)
        yield f"https://127.0.0.1:{port}/dir", ca
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_pebble_issues_a_certificate_over_a_dns01_challenge(
    live: Live, pebble: tuple[str, Path]
) -> None:
    import josepy as jose
    from acme import challenges, client, crypto_util, messages
    from cryptography.hazmat.primitives.asymmetric import rsa

    directory_url, ca = pebble
    account_key = jose.JWKRSA(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    net = client.ClientNetwork(account_key, user_agent="panelkey-test", verify_ssl=str(ca))
    acme = client.ClientV2(client.ClientV2.get_directory(directory_url, net), net)
    acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))
    cert_key = ec.generate_private_key(ec.SECP256R1())
    key_pem = cert_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    order = acme.new_order(crypto_util.make_csr(key_pem, [ZONE]))
    added: list[str] = []
    for authz in order.authorizations:
        challenge = next(c for c in authz.body.challenges if isinstance(c.chall, challenges.DNS01))
        token = challenge.chall.validation(account_key)
        added.append(live.add_txt("_acme-challenge", token))
        acme.answer_challenge(challenge, challenge.chall.response(account_key))
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=30)
    done = acme.poll_and_finalize(order, deadline)
    leaf = x509.load_pem_x509_certificates(done.fullchain_pem.encode())[0]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [ZONE]
    for record_id in added:
        live.del_rec(record_id)
    assert live.query(f"_acme-challenge.{ZONE}.", "TXT").rcode() == dns.rcode.NXDOMAIN
