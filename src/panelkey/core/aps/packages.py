"""Packages on the server and their download tasks. Only the admin manages them (Plesk's
`aps` operator is the administrator's); who is offered which is filters.py's."""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass

import sqlalchemy as sa

from panelkey.core.aps import catalogue
from panelkey.core.aps.catalogue import Entry
from panelkey.core.errors import InvalidValue
from panelkey.core.identity import Identity, require_admin
from panelkey.core.owned import Stored
from panelkey.core.rows import insert
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

PACKAGE_NOT_FOUND = "Package does not exist"
# aps/import-config: the file naming the catalogues, kept as a server property
CONFIG_KIND, CONFIG_NAME = "aps_catalogue", "config-file"
TASK_NOT_FOUND = "Download task does not exist"
EVENT = "aps_package"
_P = tables.aps_packages


@dataclass(frozen=True, slots=True)
class Package(Entry):
    """A catalogue entry on the server: imported (`uploaded`) or downloaded."""

    id: int
    uploaded: bool
    visible: bool

    def event_values(self) -> dict[str, bool]:
        return {"visible": self.visible}


@dataclass(frozen=True, slots=True)
class Task:
    """A download task: done at once, with the package it made, or None when the
    catalogue had no such package."""

    id: int
    name: str
    package_id: int | None


class Packages(Stored[Package]):
    table = _P
    record = Package
    event, not_found = EVENT, PACKAGE_NOT_FOUND

    def __init__(self, db: Database, properties: Properties) -> None:
        super().__init__(db)
        self._properties = properties

    def import_config(self, actor: Identity, filename: str) -> None:
        """Take the file of APS catalogues `filename` names (kept: panelkey's catalogue
        is catalogue.CATALOGUE whatever it says). Raises PermissionDenied, InvalidValue."""
        require_admin(actor)
        if not filename.strip():
            raise InvalidValue("The configuration file name is empty")
        self._properties.set(CONFIG_KIND, 0, {CONFIG_NAME: filename.strip()})

    def config_file(self) -> str | None:
        """The file the last aps/import-config named, or None."""
        return self._properties.get(CONFIG_KIND, 0).get(CONFIG_NAME)

    def list(self) -> builtins.list[Package]:
        """Every package on the server, oldest first."""
        return self._rows(self._all.all())

    def get(self, package_id: int) -> Package | None:
        row = self._by_id.first(v=package_id)
        return None if row is None else self._row(row)

    def find(self, name: str, version: str | None, release: str | None) -> Package | None:
        """The newest package on the server of that name (case-insensitive), narrowed by
        version and release when given; None when there is none."""
        q = self._select.where(sa.func.lower(_P.c.name) == name.strip().lower())
        if version is not None:
            q = q.where(_P.c.version == version.strip())
        if release is not None:
            q = q.where(_P.c.release == release.strip())
        with self._db.read() as conn:
            row = conn.execute(q.order_by(_P.c.id.desc())).first()
        return None if row is None else self._row(row)

    def not_on_server(self) -> builtins.list[Entry]:
        """Catalogue entries no package on the server is a copy of."""
        held = {(p.name.lower(), p.version, p.release) for p in self.list()}
        return [
            e for e in catalogue.CATALOGUE if (e.name.lower(), e.version, e.release) not in held
        ]

    def _put(self, conn: sa.Connection, actor: Identity, entry: Entry, uploaded: bool) -> int:
        """The package of `entry` on the server, added when missing; its id."""
        found = conn.execute(
            sa.select(_P.c.id).where(
                _P.c.name == entry.name,
                _P.c.version == entry.version,
                _P.c.release == entry.release,
            )
        ).scalar()
        if found is not None:
            return int(found)
        row = {**asdict(entry), "uploaded": uploaded, "visible": True}
        return self._insert(conn, actor, row, new={}).id

    def import_file(self, actor: Identity, filename: str) -> Package:
        """Import the package file `filename` names (catalogue.from_filename); a package
        already on the server is that one. Raises PermissionDenied, InvalidValue."""
        require_admin(actor)
        entry = catalogue.from_filename(filename)
        with self._db.begin() as conn:
            package_id = self._put(conn, actor, entry, uploaded=True)
        found = self.get(package_id)
        assert found is not None
        return found

    def download(
        self,
        actor: Identity,
        name: str,
        version: str | None = None,
        release: str | None = None,
    ) -> Task:
        """A download task for a catalogue package, finished at once: with the package
        on the server, or (as Plesk's finished/error) without one when the catalogue has
        no such package. Raises PermissionDenied."""
        require_admin(actor)
        entry = catalogue.find(name, version, release)
        with self._db.begin() as conn:
            package_id = None if entry is None else self._put(conn, actor, entry, uploaded=False)
            made = insert(conn, tables.aps_downloads, package_id=package_id, name=name.strip())
        return Task(made, name.strip(), package_id)

    def tasks(self, task_id: int | None = None) -> builtins.list[Task]:
        """Every download task, oldest first, or the one of `task_id` (none: [])."""
        d = tables.aps_downloads
        q = sa.select(d.c.id, d.c.name, d.c.package_id).order_by(d.c.id)
        if task_id is not None:
            q = q.where(d.c.id == task_id)
        with self._db.read() as conn:
            return [Task(r.id, r.name, r.package_id) for r in conn.execute(q)]

    def set_visible(self, actor: Identity, package: Package, visible: bool) -> Package:
        """Show or hide a package from resellers and customers. Raises PermissionDenied."""
        require_admin(actor)
        if package.visible != visible:
            with self._db.begin() as conn:
                self._update(conn, actor, package, {"visible": visible})
        found = self.get(package.id)
        assert found is not None
        return found
