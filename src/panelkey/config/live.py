"""panel.ini's live part: the settings re-read while the server runs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panelkey.config.loading import ConfigError, read_ini
from panelkey.config.table import SETTINGS
from panelkey.core.access.addresses import AllowList

log = logging.getLogger("panelkey.config")


@dataclass(frozen=True)
class LiveSettings:
    """panel.ini's live part, as one immutable snapshot: one field per live setting of
    the SETTINGS table, made by `from_ini` (the table's defaults are the only ones)."""

    api_enabled: bool
    allowed_ips: AllowList
    allow_plain_http: bool
    cors_enabled: bool
    cors_origins: tuple[str, ...]
    cors_methods: tuple[str, ...]
    trusted_proxies: AllowList

    @classmethod
    def from_ini(cls, values: Mapping[str, Any]) -> LiveSettings:
        """From panel.ini's values; what it leaves out takes the SETTINGS table's default."""
        merged = {s.name: s.default({}) for s in SETTINGS if s.live} | dict(values)
        return cls(
            api_enabled=merged["api_enabled"],
            allowed_ips=AllowList.compile(merged["allowed_ips"]),
            allow_plain_http=merged["allow_plain_http"],
            cors_enabled=merged["cors_enabled"],
            cors_origins=tuple(merged["cors_origins"]),
            cors_methods=tuple(m.upper() for m in merged["cors_methods"]),
            trusted_proxies=AllowList.compile(merged["trusted_proxies"]),
        )

    def trusts_proxy(self, peer: str) -> bool:
        return not self.trusted_proxies.anyone and self.trusted_proxies.allows(peer)


class LivePanelIni:
    """panel.ini, re-read when it changes (checked at most every 0.2 s, by a stat).

    At start a bad file raises ConfigError; later a bad edit is logged and the last
    good settings stay in force, so a typo never takes a running server down.
    """

    CHECK_EVERY = 0.2

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._signature = self._stat()
        self._current = LiveSettings.from_ini(read_ini(path))
        self._checked = time.monotonic()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def get(self) -> LiveSettings:
        now = time.monotonic()
        if now - self._checked < self.CHECK_EVERY:
            return self._current
        with self._lock:
            self._checked = now
            signature = self._stat()
            if signature != self._signature:
                self._signature = signature
                try:
                    self._current = LiveSettings.from_ini(read_ini(self.path))
                    log.info("panel.ini re-read: %s", self.path)
                except ConfigError as exc:
                    log.error("panel.ini not applied, the previous settings stay: %s", exc)
        return self._current
