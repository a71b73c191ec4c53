"""The casts of the SETTINGS table: text (from a flag, the environment or panel.ini) to
a value, or ValueError saying what was expected; the loader names where the text came
from."""

from __future__ import annotations

from panelkey.core.access.addresses import parse_allow_list
from panelkey.core.errors import InvalidValue


def on_off(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise ValueError("expected on/off, true/false or 1/0")


def port(text: str) -> int:
    value = int(text.strip())
    if not 0 <= value <= 65535:
        raise ValueError("expected a port number from 0 to 65535")
    return value


def optional_port(text: str) -> int | None:
    """A port, or None (off) for an empty value or `off`; 0 picks a free port."""
    if text.strip().lower() in ("", "off", "none"):
        return None
    return port(text)


def positive(text: str) -> int:
    value = int(text.strip())
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def natural(text: str) -> int:
    value = int(text.strip())
    if value < 0:
        raise ValueError("expected a whole number of at least 0")
    return value


def addresses(text: str) -> list[str]:
    try:
        return parse_allow_list([x for x in text.replace(",", " ").split() if x])
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


def words(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x]


def hash_profile(text: str) -> str:
    value = text.strip().lower()
    if value not in ("default", "cheapest"):
        raise ValueError("expected default or cheapest")
    return value


def plain(text: str) -> str:
    return text.strip()


def seconds(text: str) -> float:
    value = float(text.strip())
    if not value >= 0 or value == float("inf"):
        raise ValueError("expected a number of seconds of at least 0")
    return value
