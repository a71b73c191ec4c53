"""The APS catalogue panelkey offers (aps/download-package, aps/get-packages-list with
`all`), and the names of package files (aps/import-package)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from panelkey.core.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Entry:
    """A package as the catalogue and the server describe it."""

    name: str
    version: str
    release: str
    vendor: str
    packager: str


# Fixed, so that a download needs no network: the apps Plesk's catalogue is known for.
CATALOGUE: tuple[Entry, ...] = (
    Entry("WordPress", "6.4.2", "1", "WordPress Foundation", "Plesk"),
    Entry("Joomla", "4.4.1", "1", "Open Source Matters", "Plesk"),
    Entry("Drupal", "10.1.6", "1", "Drupal Association", "Plesk"),
    Entry("phpBB", "3.3.11", "1", "phpBB Limited", "Plesk"),
    Entry("MediaWiki", "1.41.0", "1", "Wikimedia Foundation", "Plesk"),
    Entry("Nextcloud", "27.1.4", "1", "Nextcloud GmbH", "Plesk"),
)

# An APS package file is `<name>-<version>-<release>.app.zip` (Plesk's own naming); the
# name may hold dashes, the version and release may not.
_FILE = re.compile(r"^(?P<name>.+)-(?P<version>[^-]+)-(?P<release>[^-]+)\.app\.zip$", re.I)
MAX_NAME = 128


def find(name: str, version: str | None = None, release: str | None = None) -> Entry | None:
    """The newest catalogue entry of that name (case-insensitive), narrowed by version
    and release when given; None when the catalogue has none."""
    for entry in CATALOGUE:
        if entry.name.lower() != name.strip().lower():
            continue
        if version is not None and entry.version != version.strip():
            continue
        if release is not None and entry.release != release.strip():
            continue
        return entry
    return None


def from_filename(filename: str) -> Entry:
    """The package a file name describes (any folder before it ignored). Raises
    InvalidValue for a name not of APS's form."""
    base = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    found = _FILE.match(base)
    if found is None or len(found["name"]) > MAX_NAME:
        raise InvalidValue(
            f"Unable to import the package {base!r}: "
            "expected a file named <name>-<version>-<release>.app.zip"
        )
    return Entry(found["name"], found["version"], found["release"], "", "")
