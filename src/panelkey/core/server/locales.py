"""Interface languages (core/server/catalogue.py LOCALES): which are enabled, and the texts
of a small catalogue of interface messages in each.

A locale is enabled until the admin disables it; the state is kept in `panel.properties`
(core/server/states.py, kind `locale`). The default locale (`en-US`) cannot be disabled,
as in Plesk, where it is what every account falls back to. panelkey has no interface in
these languages: the state is kept and answered, and `MESSAGES` holds the keys
`locale/get-message` knows.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from panelkey.core.errors import NotFound, PanelkeyError, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.server import states
from panelkey.core.server.catalogue import LOCALES
from panelkey.core.server.properties import Properties
from panelkey.store.database import Database

KIND = "locale"
DEFAULT = "en-US"
NOT_FOUND = "Locale does not exist"
MESSAGE_NOT_FOUND = "Message does not exist"

# key -> language -> text, for the languages of LOCALES.
MESSAGES: dict[str, dict[str, str]] = {
    "button.ok": {"en": "OK", "de": "OK", "fr": "OK", "es": "Aceptar", "ru": "ОК"},
    "button.cancel": {
        "en": "Cancel",
        "de": "Abbrechen",
        "fr": "Annuler",
        "es": "Cancelar",
        "ru": "Отмена",
    },
    "button.save": {
        "en": "Save",
        "de": "Speichern",
        "fr": "Enregistrer",
        "es": "Guardar",
        "ru": "Сохранить",
    },
    "login.title": {
        "en": "Log in",
        "de": "Anmelden",
        "fr": "Se connecter",
        "es": "Iniciar sesión",
        "ru": "Вход",
    },
    "logout": {
        "en": "Log out",
        "de": "Abmelden",
        "fr": "Se déconnecter",
        "es": "Cerrar sesión",
        "ru": "Выход",
    },
    "session.expired": {
        "en": "Your session has expired.",
        "de": "Ihre Sitzung ist abgelaufen.",
        "fr": "Votre session a expiré.",
        "es": "Su sesión ha caducado.",
        "ru": "Срок действия сеанса истёк.",
    },
}


@dataclass(frozen=True, slots=True)
class Locale:
    id: str
    lang: str
    country: str
    enabled: bool


class Locales:
    def __init__(self, db: Database, properties: Properties) -> None:
        self._db = db
        self._properties = properties

    def list(self) -> builtins.list[Locale]:
        """Every locale of the catalogue, in its order, with its state."""
        off = states.disabled(self._properties, KIND)
        return [Locale(i, lang, c, i not in off) for i, lang, c in LOCALES]

    def find(self, locale_id: str) -> Locale | None:
        found = [loc for loc in self.list() if loc.id == locale_id.strip()]
        return found[0] if found else None

    def message(self, locale_id: str, key: str) -> str:
        """The text of a message key in a locale (enabled or not). Raises NotFound
        (`Locale does not exist`, `Message does not exist`)."""
        locale = self.find(locale_id)
        if locale is None:
            raise NotFound(NOT_FOUND)
        texts = MESSAGES.get(key.strip())
        if texts is None:
            raise NotFound(MESSAGE_NOT_FOUND)
        return texts[locale.lang]

    def switch(self, actor: Identity, locale_id: str, on: bool) -> Locale:
        """Enable or disable a locale. Raises PermissionDenied (the admin's), NotFound,
        and PanelkeyError (1023) for disabling the default locale."""
        if not actor.is_admin:
            raise PermissionDenied()
        locale = self.find(locale_id)
        if locale is None:
            raise NotFound(NOT_FOUND)
        if not on and locale.id == DEFAULT:
            raise PanelkeyError(f"The default locale {DEFAULT} cannot be disabled")
        if locale.enabled == on:
            return locale
        states.switch(self._db, self._properties, KIND, locale.id, on, actor)
        return Locale(locale.id, locale.lang, locale.country, on)
