"""The casts of the SETTINGS table: text (from a flag, the environment or panel.ini) to
a value, or ValueError saying in the user's words what was expected ("a whole number
from 0 to 65535"); the loader names where the text came from and what it was."""

from __future__ import annotations

from panelkey.core.access.addresses import parse_allow_list
from panelkey.core.errors import InvalidValue

LOG_LEVELS = ("debug", "info", "warning", "error")


def _whole(text: str, lowest: int, highest: int | None = None) -> int:
    """A whole number in range; ValueError in words, never int()'s own text."""
    expected = (
        f"a whole number from {lowest} to {highest}"
        if highest is not None
        else f"a whole number of at least {lowest}"
    )
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(expected) from None
    if value < lowest or (highest is not None and value > highest):
        raise ValueError(expected)
    return value


def on_off(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise ValueError("on or off (true/false, 1/0)")


def port(text: str) -> int:
    return _whole(text, 0, 65535)


def optional_port(text: str) -> int | None:
    """A port, or None (off) for an empty value or `off`; 0 picks a free port."""
    if text.strip().lower() in ("", "off", "none"):
        return None
    try:
        return port(text)
    except ValueError:
        raise ValueError("a whole number from 0 to 65535, or off") from None


def positive(text: str) -> int:
    return _whole(text, 1)


def natural(text: str) -> int:
    return _whole(text, 0)


def addresses(text: str) -> list[str]:
    try:
        return parse_allow_list([x for x in text.replace(",", " ").split() if x])
    except InvalidValue as exc:
        raise ValueError(f"addresses or networks (e.g. 10.0.0.0/8 ::1): {exc}") from None


def words(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x]


def hash_profile(text: str) -> str:
    value = text.strip().lower()
    if value not in ("default", "cheapest"):
        raise ValueError("default or cheapest")
    return value


def log_level(text: str) -> str:
    value = text.strip().lower()
    if value not in LOG_LEVELS:
        raise ValueError("one of " + ", ".join(LOG_LEVELS))
    return value


def plain(text: str) -> str:
    return text.strip()


def seconds(text: str) -> float:
    expected = "a number of seconds of at least 0"
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(expected) from None
    if not value >= 0 or value == float("inf"):
        raise ValueError(expected)
    return value
