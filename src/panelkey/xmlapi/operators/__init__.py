"""The registry: operator -> {operation -> handler}. One line per operator module.

See panelkey.xmlapi.request for the handler contract.
"""

from __future__ import annotations

from panelkey.xmlapi.operators import customer, dns, secret_key, server, site, webspace
from panelkey.xmlapi.request import Operator

OPERATORS: dict[str, Operator] = {
    "secret_key": secret_key.OPERATIONS,
    "customer": customer.OPERATIONS,
    "server": server.OPERATIONS,
    "webspace": webspace.OPERATIONS,
    "site": site.OPERATIONS,
    "dns": dns.OPERATIONS,
}
