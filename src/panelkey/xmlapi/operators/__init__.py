"""The registry: operator -> {operation -> handler}. One line per operator module.

See panelkey.xmlapi.request for the handler contract.
"""

from __future__ import annotations

from panelkey.xmlapi.operators import (
    aps,
    certificate,
    client,
    customer,
    database,
    db_server,
    dns,
    domain,
    event_log,
    extension,
    ftp_user,
    ip,
    locale,
    log_rotation,
    mail,
    php_handler,
    plans,
    protected_dir,
    reseller,
    secret_key,
    server,
    session,
    site,
    site_alias,
    subdomain,
    ui,
    virtdir,
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
    "subdomain": subdomain.OPERATIONS,
    "site-alias": site_alias.OPERATIONS,
    "ftp-user": ftp_user.OPERATIONS,
    "protected-dir": protected_dir.OPERATIONS,
    "mail": mail.OPERATIONS,
    "database": database.OPERATIONS,
    "db_server": db_server.OPERATIONS,
    "certificate": certificate.OPERATIONS,
    "virtdir": virtdir.OPERATIONS,
    "log-rotation": log_rotation.OPERATIONS,
    "extension": extension.OPERATIONS,
    "aps": aps.OPERATIONS,
    # The legacy operators, in packets of versions before 1.6.3.0 (versions.OPERATOR_SPANS).
    "client": client.OPERATIONS,
    "domain": domain.OPERATIONS,
}
