"""Custom themes (ui/branding-theme-install, -uninstall): the theme file a vendor (the
admin, for everyone, or a reseller, for its customers) installed, kept with the vendor's
account properties, so that it goes with the account. panelkey draws no interface: the
theme is kept, never unpacked."""

from __future__ import annotations

from panelkey.core.accounts.accounts import PROPERTY_KIND, Account
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.server.properties import Properties

THEME = "branding-theme.path"
THEME_NOT_FOUND = "Theme does not exist"
VENDORS = (AccountType.ADMIN.value, AccountType.RESELLER.value)


class Branding:
    def __init__(self, properties: Properties) -> None:
        self._properties = properties

    @staticmethod
    def check_caller(actor: Identity) -> None:
        """Only the admin and resellers brand. Raises PermissionDenied."""
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()

    @staticmethod
    def _check(actor: Identity, vendor: Account) -> None:
        """The admin installs any vendor's theme, a reseller its own. Raises
        PermissionDenied."""
        if not actor.is_admin and actor.account_id != vendor.id:
            raise PermissionDenied()
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()

    def theme(self, vendor: Account) -> str | None:
        """The theme file the vendor installed, or None."""
        return self._properties.get(PROPERTY_KIND, vendor.id).get(THEME) or None

    def install(self, actor: Identity, vendor: Account, path: str) -> None:
        """Keep `path` as the vendor's theme (over any before). Raises PermissionDenied,
        InvalidValue."""
        self._check(actor, vendor)
        if not path.strip():
            raise InvalidValue("The path to the theme file is empty")
        self._properties.set(PROPERTY_KIND, vendor.id, {THEME: path.strip()})

    def uninstall(self, actor: Identity, vendor: Account) -> None:
        """Raises PermissionDenied, NotFound (the vendor has no theme)."""
        self._check(actor, vendor)
        if self.theme(vendor) is None:
            raise NotFound(THEME_NOT_FOUND)
        self._properties.set(PROPERTY_KIND, vendor.id, {THEME: ""})
