"""The registry: operator -> {operation -> handler}. One line per operator module.

See panelkey.xmlapi.request for the handler contract.
"""

from __future__ import annotations

from panelkey.xmlapi.operators import customer, secret_key, server
from panelkey.xmlapi.request import Operator

OPERATORS: dict[str, Operator] = {
    "secret_key": secret_key.OPERATIONS,
    "customer": customer.OPERATIONS,
    "server": server.OPERATIONS,
}
