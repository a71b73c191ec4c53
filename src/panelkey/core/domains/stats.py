"""What server/get ``stat`` reports: counts of the panel's objects and facts of the host.

Each count is one line of ``COUNTERS``: the answer's element, the table, and the
condition. A table another family has not created yet counts 0, so the answer keeps
Plesk's shape whatever is installed.
"""

from __future__ import annotations

import os
import platform
import shutil
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database

Where = Callable[[sa.Table], Any] | None


def _customers(t: sa.Table) -> Any:
    return t.c.type == "customer"


def _problem_clients(t: sa.Table) -> Any:
    return sa.and_(t.c.type == "customer", t.c.status != 0)


def _webspaces(t: sa.Table) -> Any:
    return t.c.base_domain_id == 0


def _active_webspaces(t: sa.Table) -> Any:
    return sa.and_(t.c.base_domain_id == 0, t.c.status == "active")


def _column_is(name: str, value: str) -> Callable[[sa.Table], Any]:
    def where(t: sa.Table) -> Any:
        return t.c[name] == value if name in t.c else sa.false()

    return where


def _column_true(name: str) -> Callable[[sa.Table], Any]:
    def where(t: sa.Table) -> Any:
        return t.c[name].is_(True) if name in t.c else sa.false()

    return where


# (element of stat/objects, table name, condition): Plesk's order.
COUNTERS: tuple[tuple[str, str, Where], ...] = (
    ("clients", "accounts", _customers),
    ("domains", "domains", _webspaces),
    ("active_domains", "domains", _active_webspaces),
    ("mail_boxes", "mail_names", _column_true("mailbox")),
    ("mail_redirects", "mail_names", _column_true("forwarding")),
    ("mail_groups", "mail_groups", None),
    ("mail_responders", "mail_responders", None),
    ("web_users", "web_users", None),
    ("databases", "databases", None),
    ("database_users", "db_users", None),
    ("problem_clients", "accounts", _problem_clients),
    ("problem_domains", "domains", _column_is("status", "problem")),
)

# Other counts the faces use (reseller and customer stat), same shape.
EXTRA_COUNTERS: tuple[tuple[str, str, Where], ...] = (
    ("resellers", "accounts", _column_is("type", "reseller")),
    ("subdomains", "subdomains", None),
    ("sites", "domains", None),
)


def count_objects(
    db: Database, counters: tuple[tuple[str, str, Where], ...] = COUNTERS
) -> list[tuple[str, int]]:
    """(element, count) for each counter, in order; 0 where the table does not exist."""
    present = set(sa.inspect(db.engine).get_table_names())
    out: list[tuple[str, int]] = []
    with db.read() as conn:
        for name, table_name, where in counters:
            table = tables.metadata.tables.get(table_name)
            if table is None or table_name not in present:
                out.append((name, 0))
                continue
            q = sa.select(sa.func.count()).select_from(table)
            if where is not None:
                q = q.where(where(table))
            out.append((name, int(conn.execute(q).scalar() or 0)))
    return out


def _meminfo() -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                values[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return values


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _uptime() -> int:
    try:
        with open("/proc/uptime") as f:
            return int(float(f.read().split()[0]))
    except (OSError, ValueError, IndexError):
        return 0


def host_facts(data_dir: str = "/") -> dict[str, Any]:
    """Load, memory, swap, disk and uptime of this host, read without privileges."""
    mem = _meminfo()
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    disk = shutil.disk_usage(data_dir if os.path.exists(data_dir) else "/")
    total, free = mem.get("MemTotal", 0), mem.get("MemFree", 0)
    swap_total, swap_free = mem.get("SwapTotal", 0), mem.get("SwapFree", 0)
    return {
        "cpu": _cpu(),
        "uptime": _uptime(),
        "inside_vz": os.path.exists("/proc/vz") and not os.path.exists("/proc/bc"),
        # Plesk reports load averages multiplied by 100, as integers.
        "load_avg": tuple(round(x * 100) for x in load),
        "mem": {
            "total": total,
            "used": total - free,
            "free": free,
            "shared": mem.get("Shmem", 0),
            "buffer": mem.get("Buffers", 0),
            "cached": mem.get("Cached", 0),
        },
        "swap": {"total": swap_total, "used": swap_total - swap_free, "free": swap_free},
        "disk": {"name": "/", "total": disk.total, "used": disk.used, "free": disk.free},
        "os": platform.system() or "Linux",
        "os_release": platform.release(),
        "boot_time": int(time.time()) - _uptime(),
    }
