"""Certificates: CSRs and key pairs made for the names asked, and the repositories that
keep certificates (one per subscription, and the server pool of the admin).

`generate` makes a real RSA key pair and a CSR (CN the first name, every name in the
subjectAltName) and stores nothing. `install` and `update` keep a certificate under a
name in a repository, after checking that the private key parses, that the
certificate (or else the CSR) parses and carries that key's public half, and that the
CA certificates parse; any failure is InvalidValue (1019) and writes nothing.

Private keys are kept, as Plesk keeps them, but never logged, put in an event or
answered by a listing. A subscription's repository is reached by whoever may see the
subscription; the server pool by the admin only.
"""

from __future__ import annotations

import builtins
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.domains.domains import Domain, Domains, normalise_name
from panelkey.core.domains.ips import Ips
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.owned import Owned
from panelkey.core.rows import insert
from panelkey.core.text import fits
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

CERT_NOT_FOUND = "Certificate does not exist"
_NOT_KEY = "The private key is not a PEM private key without a passphrase"
_NOT_CERT = "The certificate is not a PEM X.509 certificate"
_NOT_CSR = "The CSR is not a PEM certificate signing request"
_NOT_CA = "The CA certificate is not a PEM X.509 certificate"
KEY_SIZES = (1024, 2048, 3072, 4096)
ADMIN = "admin"
IP_NOT_FOUND = "IP address does not exist"
_C = tables.certificates
_IP = tables.ip_addresses
# Subject fields and their NameOID names. `cryptography` is imported where a key or a
# certificate is handled, not with the module: every command's start would pay for it.
_SUBJECT = (
    ("country", "COUNTRY_NAME"),
    ("state", "STATE_OR_PROVINCE_NAME"),
    ("location", "LOCALITY_NAME"),
    ("company", "ORGANIZATION_NAME"),
    ("dept", "ORGANIZATIONAL_UNIT_NAME"),
    ("email", "EMAIL_ADDRESS"),
)


@dataclass(frozen=True, slots=True)
class Generated:
    csr: str
    private_key: str


@dataclass(frozen=True, slots=True)
class Certificate:
    """A kept certificate, without its private key."""

    id: int
    repository: str
    domain_id: int | None
    name: str
    csr: str
    certificate: str
    ca_certificate: str

    def event_values(self) -> dict[str, Any]:
        """Never the key: which parts the certificate has."""
        return {
            "repository": self.repository,
            "certificate": bool(self.certificate),
            "ca": bool(self.ca_certificate),
        }


def generate(
    bits: int, names: builtins.list[str], subject: dict[str, str], private_key: str = ""
) -> Generated:
    """A CSR for `names` and its RSA key (PKCS#8 PEM): a new key of `bits`, or the
    `private_key` given (Plesk's `PVT`), answered as given. Raises InvalidValue for a
    key size outside KEY_SIZES, a key that is not an RSA PEM key without a passphrase,
    a bad name or country, or an empty subject field."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    if bits not in KEY_SIZES:
        raise InvalidValue(f"Invalid key size: {bits}; allowed: {', '.join(map(str, KEY_SIZES))}")
    if not names:
        raise InvalidValue("A certificate needs a domain name")
    alt: builtins.list[x509.GeneralName] = []
    for name in names:
        if name.startswith("*."):
            alt.append(x509.DNSName("*." + normalise_name(name[2:])[1]))
            continue
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(normalise_name(name)[1]))
    country = subject.get("country", "")
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise InvalidValue(f"Invalid country: {country!r}; a two-letter ISO 3166 code is needed")
    attributes = []
    for field, oid_name in _SUBJECT:
        oid = getattr(NameOID, oid_name)
        value = subject.get(field, "").strip()
        if not value:
            continue
        if len(value) > 64 or "\x00" in value:
            raise InvalidValue(f"Invalid {field}: {value!r}")
        attributes.append(x509.NameAttribute(oid, value.upper() if field == "country" else value))
    common = names[0] if len(names[0]) <= 64 else names[0][:64]
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    if private_key.strip():
        try:
            given = serialization.load_pem_private_key(private_key.strip().encode(), password=None)
        except (ValueError, TypeError):
            raise InvalidValue("PVT is not a PEM private key without a passphrase") from None
        if not isinstance(given, rsa.RSAPrivateKey):
            raise InvalidValue("PVT is not an RSA private key")
        key = given
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name(attributes))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    if private_key.strip():
        pem_key = private_key.strip().encode() + b"\n"
    return Generated(csr.public_bytes(serialization.Encoding.PEM).decode(), pem_key.decode())


def check_contents(csr: str, private_key: str, certificate: str, ca: str) -> None:
    """Raise InvalidValue unless the key parses, the certificate (or, without one, the
    CSR) parses and holds the key's public half, and the CA certificates parse."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    def public_half(holder: Any) -> bytes:
        return holder.public_key().public_bytes(  # type: ignore[no-any-return]
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def key_of(pem: bytes) -> Any:
        return serialization.load_pem_private_key(pem, password=None)

    mine = public_half(_parsed(private_key, _NOT_KEY, key_of))
    if certificate.strip():
        if public_half(_parsed(certificate, _NOT_CERT, x509.load_pem_x509_certificate)) != mine:
            raise InvalidValue("The certificate does not match the private key")
    elif csr.strip():
        if public_half(_parsed(csr, _NOT_CSR, x509.load_pem_x509_csr)) != mine:
            raise InvalidValue("The CSR does not match the private key")
    else:
        raise InvalidValue("A certificate or a CSR is needed beside the private key")
    if csr.strip() and certificate.strip():
        _parsed(csr, _NOT_CSR, x509.load_pem_x509_csr)
    if ca.strip():
        _parsed(ca, _NOT_CA, x509.load_pem_x509_certificates)


def _parsed(pem: str, refusal: str, load: Callable[[bytes], Any]) -> Any:
    """`load` of the PEM text, or InvalidValue saying `refusal`."""
    try:
        return load(pem.encode())
    except (ValueError, TypeError):
        raise InvalidValue(refusal) from None


class Certificates(Owned[Certificate]):
    """Repositories are reached through their subscription (`repository`); a certificate
    is found by name in one, and goes with its subscription (`purge`)."""

    table = _C
    record = Certificate  # its fields, never the private key
    event, not_found, purge_events = "certificate", CERT_NOT_FOUND, False

    def __init__(self, db: Database, domains: Domains) -> None:
        super().__init__(db, domains)
        self._ips = Ips(db)
        self._in_repository = db.prepare(built((Certificates, "repository"), self._repository_read))

    @classmethod
    def _repository_read(cls) -> sa.Select[Any]:
        q = sa.select(*(_C.c[c] for c in cls.columns))
        return q.where(_C.c.repository == sa.bindparam("v")).order_by(_C.c.name)

    def repository(self, actor: Identity, domain: Domain | None) -> tuple[str, int | None]:
        """(repository, domain id) of a subscription (a site counts as its subscription)
        or of the server pool (`domain` None, the admin only). Raises NotFound, PermissionDenied."""
        if domain is None:
            if not actor.is_admin:
                raise PermissionDenied("Only the administrator manages the server pool.")
            return ADMIN, None
        self._parent(actor, domain, NotFound("Webspace does not exist"))
        base = domain.base_domain_id or domain.id
        return f"domain:{base}", base

    def list(self, repository: str) -> builtins.list[Certificate]:
        """The certificates of a repository (as `repository` gave it), by name."""
        return self._rows(self._in_repository.all(v=repository))

    def install(
        self, actor: Identity, domain: Domain | None, name: str, *, csr: str = "",
        private_key: str, certificate: str = "", ca: str = "", replace: bool = False,
        ip_address: str | None = None,
    ) -> None:  # fmt: skip
        """Keep a certificate under `name` (install: a new name, else AlreadyExists;
        with `replace` (update): an existing one, else NotFound). With `ip_address`
        (Plesk's: one of the server's addresses, else NotFound; the administrator's
        only, else PermissionDenied) the certificate becomes that address's
        certificate. Raises InvalidValue (check_contents) with nothing written."""
        repo, domain_id = self.repository(actor, domain)
        ip_id = 0
        if ip_address is not None:
            if not actor.is_admin:
                raise PermissionDenied("Only the administrator sets an address's certificate.")
            ip = self._ips.get(ip_address.strip())
            if ip is None:
                raise NotFound(IP_NOT_FOUND)
            ip_id = ip.id
        text = (name or "").strip()
        if not text or not fits(text) or "\x00" in text:
            raise InvalidValue(f"Invalid certificate name: {name!r}")
        check_contents(csr, private_key, certificate, ca)
        values = {
            "csr": csr.strip(), "private_key": private_key.strip(),
            "certificate": certificate.strip(), "ca_certificate": ca.strip(),
        }  # fmt: skip
        with self._db.begin() as conn:
            found = conn.execute(
                sa.select(_C.c.id).where(_C.c.repository == repo, _C.c.name == text)
            ).scalar()
            if replace:
                if found is None:
                    raise NotFound(CERT_NOT_FOUND)
                conn.execute(_C.update().where(_C.c.id == found).values(**values))
                obj_id, what = int(found), events.UPDATE
            else:
                if found is not None:
                    raise AlreadyExists(f"Certificate {text!r} already exists")
                obj_id = insert(conn, _C, repository=repo, domain_id=domain_id, name=text, **values)
                what = events.CREATE
            if ip_id:
                conn.execute(_IP.update().where(_IP.c.id == ip_id).values(certificate_name=text))
            # Never the key: only which parts the certificate has.
            events.record(
                conn,
                "certificate",
                what,
                obj_id,
                text,
                actor,
                new={
                    "repository": repo,
                    "certificate": bool(certificate.strip()),
                    "ca": bool(ca.strip()),
                },
            )

    def remove(self, actor: Identity, domain: Domain | None, name: str) -> None:
        """Delete a certificate by name from a repository; NotFound when it is not there."""
        repo, _domain_id = self.repository(actor, domain)
        with self._db.begin() as conn:
            found = conn.execute(
                sa.select(_C.c.id).where(_C.c.repository == repo, _C.c.name == name.strip())
            ).scalar()
            if found is None:
                raise NotFound(CERT_NOT_FOUND)
            conn.execute(_C.delete().where(_C.c.id == found))
            if repo == ADMIN:  # an address's certificate is one of the server pool's
                conn.execute(
                    _IP.update()
                    .where(_IP.c.certificate_name == name.strip())
                    .values(certificate_name="")
                )
            events.record(
                conn, "certificate", events.DELETE, int(found), name.strip(), actor,
                old={"repository": repo},
            )  # fmt: skip
