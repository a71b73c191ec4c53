"""The registry: operator -> {operation -> handler}. One line per operator module.

See panelkey.xmlapi.request for the handler contract.
"""

from __future__ import annotations

from panelkey.xmlapi.operators import (
    customer,
    dns,
    event_log,
    ip,
    locale,
    php_handler,
    plans,
    reseller,
    secret_key,
    server,
    session,
    site,
    ui,
    webspace,
)
from panelkey.xmlapi.request import Operator

OPERATORS: dict[str, Operator] = {
    "secret_key": secret_key.OPERATIONS,
    "customer": customer.OPERATIONS,
    "server": server.OPERATIONS,
    "webspace": webspace.OPERATIONS,
    "site": site.OPERATIONS,
    "dns": dns.OPERATIONS,
    "service-plan": plans.SERVICE_PLAN,
    "service-plan-addon": plans.SERVICE_PLAN_ADDON,
    "reseller-plan": plans.RESELLER_PLAN,
    "ip": ip.OPERATIONS,
    "reseller": reseller.OPERATIONS,
    "session": session.OPERATIONS,
    "event_log": event_log.OPERATIONS,
    "php-handler": php_handler.OPERATIONS,
    "locale": locale.OPERATIONS,
    "ui": ui.OPERATIONS,
}
