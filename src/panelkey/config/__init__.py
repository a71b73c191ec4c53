"""Every setting, read once, in one place.

Static settings (where to listen, where the data lives) come from the command-line
flag, then the environment, then `[panelkey]` in panel.ini, then the default.
Live settings (`[api]`, `[ext-rest-api]`, `trustedProxies`) come from panel.ini and
are re-read when the file changes. A malformed value stops the start, naming the
file, line, setting and value.

Four parts: `table` (SETTINGS, the one list of names, defaults, casts and help),
`casts` (text to values), `loading` (panel.ini's lines and the static `Settings`),
`live` (`LiveSettings` and the panel.ini that is re-read).
"""

from __future__ import annotations

from panelkey.config.live import LivePanelIni as LivePanelIni
from panelkey.config.live import LiveSettings as LiveSettings
from panelkey.config.loading import ConfigError as ConfigError
from panelkey.config.loading import Settings as Settings
from panelkey.config.loading import load_settings as load_settings
from panelkey.config.loading import read_ini as read_ini
from panelkey.config.table import DEFAULT_DATA_DIR as DEFAULT_DATA_DIR
from panelkey.config.table import SETTINGS as SETTINGS
from panelkey.config.table import Setting as Setting
