"""The server's connection to Plesk Billing (server/set-ppb-connection): kept as server
properties (kind `ppb`) with the remote access hash as a digest only. panelkey calls no
billing system; a Plesk would use the connection to reach it.
"""

from __future__ import annotations

import hashlib

from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.server.properties import Properties
from panelkey.core.text import fits

KIND, OBJECT = "ppb", 0


class BillingConnection:
    def __init__(self, properties: Properties) -> None:
        self._properties = properties

    def set(
        self, actor: Identity, url: str, access_hash: str, api_version: str, remote: bool | None
    ) -> None:
        """Keep the connection (replacing the one before). Raises PermissionDenied (not
        the admin), InvalidValue (a value empty or too long, a URL not http(s))."""
        if not actor.is_admin:
            raise PermissionDenied()
        for name, value in (("ppb-url", url), ("integration-api-version", api_version)):
            if not value.strip() or not fits(value):
                raise InvalidValue(f"Invalid value of {name}")
        if not url.strip().lower().startswith(("http://", "https://")):
            raise InvalidValue("Invalid value of ppb-url")
        if not access_hash or not fits(access_hash):
            raise InvalidValue("Invalid value of remote-access-hash")
        values = {
            "url": url.strip(),
            "remote-access-hash.digest": hashlib.sha256(access_hash.encode()).hexdigest(),
            "integration-api-version": api_version.strip(),
        }
        if remote is not None:
            values["remote"] = "true" if remote else "false"
        self._properties.set(KIND, OBJECT, values)

    def get(self) -> dict[str, str]:
        """What is kept of the connection (the hash's digest, never the hash)."""
        return self._properties.get(KIND, OBJECT)
