"""Schemathesis hooks of test_rest_schemathesis.py: the facts a schema cannot state.

A schema says which requests are well formed, not which names are free or which objects
exist. So that `positive_data_acceptance` judges the document and not the store, each
schema-valid request (positive mode) is given, just before it is sent:

- a changed name where the drawn one was sent before (logins, domain, database and user
  names must be free; the fuzzer draws its smallest values again and again);
- the test's own objects where the request names one that must exist: the owner of a
  client or domain, the domain of a site, FTP user or database, the database of a user,
  the login of a key or session;
- a future year for an expiry time in the past;
- for a DNS record, a value its type takes and a host inside the zone; for the two
  types of Plesk's list that are no record a zone keeps (SOA: the zone's settings;
  AXFR), a type that is (test_rest_plesk_components.py shows their 400);
- a name for a new domain (Plesk's one DomainRequest serves create and update, so its
  schema cannot require one), and an activation code for a license given neither key
  nor code;
- and the test's own objects are kept from deletion, suspension and renaming (the id is
  swapped for one that does not exist, which answers 404).

Every value put in still fits its schema. Schema-invalid (negative) requests are sent as
drawn, but that the test's objects and the key the run authenticates with are kept in
them too (a well-formed id for another), and their names are noted: what is invalid in
such a request may be outside its body, so it can still make the object.
The objects come from the environment variable PANELKEY_ST_FIXTURES (JSON).
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import schemathesis

FIXTURES: dict[str, Any] = json.loads(os.environ.get("PANELKEY_ST_FIXTURES", "{}"))
UNKNOWN_ID = 2**31 - 1
_sent: set[tuple[str, str]] = set()
_count = [0]


def _fresh(kind: str, value: str, make: Any, *, change: bool = True) -> str:
    """`value`, or when one like it was sent before, `make(value, n)` with a new n; with
    `change` false it is only noted (a schema-invalid request may still make the object
    when what is invalid in it is not its body)."""
    while change and (kind, value.lower().rstrip(".")) in _sent:
        _count[0] += 1
        value = make(value, _count[0])
    _sent.add((kind, value.lower().rstrip(".")))
    return value


def _domain_name(value: str, n: int) -> str:
    # The schema's 245 characters, and at most two labels before an internationalised one.
    return f"d{n}.{value}" if len(value) <= 230 and value.count(".") < 3 else f"d{n}.example"


def _login(limit: int) -> Any:
    return lambda value, n: value[: limit - len(str(n))] + str(n)


def _reference(given: Any, fixture: dict[str, Any]) -> Any:
    """The same shape of reference (id, name, guid, ...) naming the test's object."""
    if not isinstance(given, dict):
        return given
    return {k: fixture.get(k, v) for k, v in given.items()}


def _protect(case: Any, path: str, method: str) -> None:
    ids = case.path_parameters or {}
    given = str(ids.get("id"))
    writes = method != "GET"
    kept = (
        (
            writes
            and path.startswith("/clients/{id}")
            and given in ("1", str(FIXTURES["client"]["id"]))
        )
        or (writes and path.startswith("/domains/{id}") and given == str(FIXTURES["domain"]["id"]))
        or (path == "/databases/{id}" and given == str(FIXTURES["database"]["id"]))
    )
    if kept:
        ids["id"] = UNKNOWN_ID


_NAMES = (
    ("login", "/clients", "login"),
    ("domain", "/domains", "name"),
    ("ftp", "/ftpusers", "name"),
    ("database", "/databases", "name"),
    ("dbuser", "/dbusers", "login"),
)


# A value (and opt) each type takes: whether a value is valid depends on the record's
# type, which DnsRecord's schema (one string for every type) cannot state.
_DNS_VALUES = {
    "A": ("192.0.2.1", ""),
    "AAAA": ("2001:db8::1", ""),
    "CNAME": ("target.example.", ""),
    "NS": ("ns1.example.", ""),
    "PTR": ("ptr.example.", ""),
    "MX": ("mail.example.", "10"),
    "TXT": ("v=st1", ""),
    "SRV": ("sip.example.", "0 5 5060"),
    "CAA": ("letsencrypt.org", "0 issue"),
    "DS": ("60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", ""),
    "TLSA": ("3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6", ""),
    "HTTPS": ("1 . alpn=h2", ""),
}
_NO_RECORD = ("SOA", "AXFR")


def _dns_record(body: dict[str, Any]) -> None:
    """A value for the drawn type, and a host inside the zone (a schema cannot name the
    zone of the `?domain=` beside it). The type, ttl and the rest stay as drawn."""
    kind = body.get("type")
    if kind is None and "value" in body:
        # an update naming no type keeps the stored one, which the hook cannot know
        kind = body["type"] = "TXT"
    if kind in _NO_RECORD:
        kind = body["type"] = "TXT"
    if kind in _DNS_VALUES:
        body["value"], opt = _DNS_VALUES[kind]
        if opt or "opt" in body:
            body["opt"] = opt
    if "host" in body:
        _count[0] += 1
        body["host"] = f"st{_count[0]}"


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    path, method = case.operation.path, case.method.upper()
    ids = case.path_parameters or {}
    if path == "/auth/keys/{key}" and str(ids.get("key")).strip() in FIXTURES["key"]:
        ids["key"] = str(UNKNOWN_ID)
    _protect(case, path, method)
    meta = case.meta
    positive = meta is not None and meta.generation.mode.is_positive
    body = case.body
    if not positive:
        for kind, where, name in _NAMES:
            if path.startswith(where) and isinstance(body, dict):
                value = body.get(name)
                if isinstance(value, str):
                    _fresh(kind, value, None, change=False)
        return
    if not isinstance(body, dict):
        return
    client, domain, database = FIXTURES["client"], FIXTURES["domain"], FIXTURES["database"]
    if path.startswith("/clients"):
        if isinstance(body.get("login"), str):
            body["login"] = _fresh("login", body["login"], _login(60))
        if body.get("owner_login"):
            body["owner_login"] = "admin"
    elif path.startswith("/domains") and method in ("POST", "PUT") and "status" not in path:
        if method == "POST" and "name" not in body:
            body["name"] = "new.example"
        if isinstance(body.get("name"), str):
            body["name"] = _fresh("domain", body["name"], _domain_name)
        for name in ("base_domain", "parent_domain"):
            if name in body:
                body[name] = _reference(body[name], domain)
        if "owner_client" in body:
            body["owner_client"] = _reference(body["owner_client"], client)
        hosting = body.get("hosting_settings")
        if isinstance(hosting, dict) and hosting.get("ftp_login"):
            hosting["ftp_login"] = _fresh("ftp", hosting["ftp_login"], _login(60))
    elif path.startswith("/ftpusers") and method in ("POST", "PUT"):
        if isinstance(body.get("name"), str):
            body["name"] = _fresh("ftp", body["name"], _login(60))
        if "parent_domain" in body:
            body["parent_domain"] = _reference(body["parent_domain"], domain)
    elif path == "/databases" and method == "POST":
        if isinstance(body.get("name"), str):
            body["name"] = _fresh("database", body["name"], _login(63))
        if "parent_domain" in body:
            body["parent_domain"] = _reference(body["parent_domain"], domain)
        if "server_id" in body:
            body["server_id"] = FIXTURES["servers"][body["type"]]
    elif path.startswith("/dbusers") and method in ("POST", "PUT"):
        if isinstance(body.get("login"), str):
            body["login"] = _fresh("dbuser", body["login"], _login(32))
        if method == "POST":
            body["database_id"] = database["id"]
            if "server_id" in body:
                body["server_id"] = database["server_id"]
            if "parent_domain" in body:
                body["parent_domain"] = _reference(body["parent_domain"], domain)
    elif path.startswith("/dns/records") and method in ("POST", "PUT"):
        _dns_record(body)
    elif path == "/server/license" and "key" not in body and not (body.get("code") or "").strip():
        body["code"] = "A00B00-CDE111-FGH222-IJK333"
    elif path in ("/auth/keys", "/server/session"):
        if body.get("login"):
            body["login"] = client["login"]
        expires = body.get("expires")
        if isinstance(expires, str) and re.match(r" *[0-9]{4}-", expires):
            year = expires.strip()[:4]
            if int(year) <= time.gmtime().tm_year:
                body["expires"] = expires.replace(year, "9999", 1)
