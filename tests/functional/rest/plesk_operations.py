"""Plesk's REST operations as Plesk's own OpenAPI document lists them (method, path,
exact summary, tags, success status): the list panelkey's documents must carry."""

from __future__ import annotations

from typing import NamedTuple


class Op(NamedTuple):
    method: str
    path: str
    summary: str
    tags: tuple[str, ...]
    status: int


_A, _S, _C, _E = ("Authentication",), ("Server",), ("Cli",), ("Extensions",)
_CL, _D, _F, _DB, _DNS = ("Clients",), ("Domains",), ("FtpUsers",), ("Databases",), ("DNS",)

PLESK_OPERATIONS: tuple[Op, ...] = (
    Op("POST", "/auth/keys", "Generate API secret key", _A, 201),
    Op("DELETE", "/auth/keys/{key}", "Delete API secret key", _A, 200),
    Op("POST", "/server/session", "Create a session token", ("Authentication", "Server"), 201),
    Op("GET", "/cli/commands", "List CLI commands", _C, 200),
    Op("GET", "/cli/{id}/ref", "Get CLI command reference", _C, 200),
    Op("POST", "/cli/{id}/call", "Execute CLI command", _C, 200),
    Op("GET", "/server", "Get server information", _S, 200),
    Op("POST", "/server/init", "Initialize server", _S, 200),
    Op("POST", "/server/license", "Install license key", _S, 200),
    Op("GET", "/server/ips", "List server IP addresses", _S, 200),
    Op("GET", "/extensions", "List installed extensions", _E, 200),
    Op("POST", "/extensions", "Install extension", _E, 200),
    Op("GET", "/extensions/{id}", "Get extension details", _E, 200),
    Op("DELETE", "/extensions/{id}", "Uninstall extension", _E, 200),
    Op("PUT", "/extensions/{id}/enable", "Enable extension", _E, 200),
    Op("PUT", "/extensions/{id}/disable", "Disable extension", _E, 200),
    Op("GET", "/clients", "List clients", _CL, 200),
    Op("POST", "/clients", "Create client account", _CL, 201),
    Op("GET", "/clients/{id}", "Get client details", _CL, 200),
    Op("PUT", "/clients/{id}", "Update client account", _CL, 200),
    Op("DELETE", "/clients/{id}", "Delete client account", _CL, 200),
    Op("GET", "/clients/{id}/domains", "List client domains", _CL, 200),
    Op("GET", "/clients/{id}/statistics", "Get client statistics", _CL, 200),
    Op("PUT", "/clients/{id}/activate", "Activate client", _CL, 200),
    Op("PUT", "/clients/{id}/suspend", "Suspend client", _CL, 200),
    Op("GET", "/domains", "List domains", _D, 200),
    Op("POST", "/domains", "Create domain", _D, 201),
    Op("GET", "/domains/{id}", "Get domain details", _D, 200),
    Op("PUT", "/domains/{id}", "Update domain", _D, 200),
    Op("DELETE", "/domains/{id}", "Delete domain", _D, 200),
    Op("GET", "/domains/{id}/client", "Get domain owner", _D, 200),
    Op("GET", "/domains/{id}/status", "Get domain status", _D, 200),
    Op("PUT", "/domains/{id}/status", "Update domain status", _D, 200),
    Op("GET", "/ftpusers", "List FTP users", _F, 200),
    Op("POST", "/ftpusers", "Create FTP user", _F, 200),
    Op("PUT", "/ftpusers/{name}", "Update FTP user", _F, 200),
    Op("DELETE", "/ftpusers/{name}", "Delete FTP user", _F, 200),
    Op("GET", "/databases", "List databases", _DB, 200),
    Op("POST", "/databases", "Create database", _DB, 200),
    Op("DELETE", "/databases/{id}", "Delete database", _DB, 200),
    Op("GET", "/dbusers", "List database users", _DB, 200),
    Op("POST", "/dbusers", "Create database user", _DB, 200),
    Op("PUT", "/dbusers/{id}", "Update database user", _DB, 200),
    Op("DELETE", "/dbusers/{id}", "Delete database user", _DB, 200),
    Op("GET", "/dbservers", "List database servers", _DB, 200),
    Op("GET", "/dns/records", "List DNS records", _DNS, 200),
    Op("POST", "/dns/records", "Create DNS record", _DNS, 200),
    Op("GET", "/dns/records/{id}", "Get DNS record", _DNS, 200),
    Op("PUT", "/dns/records/{id}", "Update DNS record", _DNS, 200),
    Op("DELETE", "/dns/records/{id}", "Delete DNS record", _DNS, 200),
)
assert len(PLESK_OPERATIONS) == 50
