"""Prometheus metrics, served by `panelkey serve --metrics-port N` (off by default).

Everything here is a no-op until `enable()` runs in a worker, so that a server without
metrics pays one empty call per event. With several workers, prometheus-client's
multiprocess mode keeps each worker's values in files of one folder (made empty at
start, in the data folder), and a scrape on any worker adds them all up.

    panelkey_requests_total{face, operation, outcome}   XML operations, REST calls
    panelkey_request_seconds{face}                       latency histogram per request
    panelkey_key_verifications_total{result}             verified / refused
    panelkey_refusals_total{reason}                      every refused credential
    panelkey_lockouts_total                              password lockouts
    panelkey_keys{state}                                 keys by state, read at scrape
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"
_metrics: dict[str, Any] = {}


def prepare(folder: Path) -> None:
    """In the parent, before workers start: an empty folder for every worker's values.
    Must run before prometheus_client is imported anywhere in this process."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    os.environ[ENV] = str(folder)


def enable() -> None:
    """In each worker (after the fork): make the metrics this process counts into."""
    from prometheus_client import Counter, Histogram

    _metrics["requests"] = Counter(
        "panelkey_requests", "API requests", ["face", "operation", "outcome"]
    )
    _metrics["latency"] = Histogram(
        "panelkey_request_seconds",
        "Time to answer an API request",
        ["face"],
        buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    )
    _metrics["verifications"] = Counter(
        "panelkey_key_verifications", "Secret keys verified", ["result"]
    )
    _metrics["refusals"] = Counter("panelkey_refusals", "Refused credentials", ["reason"])
    _metrics["lockouts"] = Counter("panelkey_lockouts", "Password lockouts started")


def enabled() -> bool:
    return bool(_metrics)


def request(face: str, operation: str, outcome: str) -> None:
    if _metrics:
        _metrics["requests"].labels(face, operation, outcome).inc()


def latency(face: str, seconds: float) -> None:
    if _metrics:
        _metrics["latency"].labels(face).observe(seconds)


def verified() -> None:
    if _metrics:
        _metrics["verifications"].labels("verified").inc()


def refused(reason: str, key: bool) -> None:
    if _metrics:
        _metrics["refusals"].labels(reason).inc()
        if key:
            _metrics["verifications"].labels("refused").inc()


def lockout() -> None:
    if _metrics:
        _metrics["lockouts"].inc()


def asgi_app(key_states: Callable[[], dict[str, int]]) -> Any:
    """The /metrics endpoint: every worker's values added up, and the keys by state
    read from the store at each scrape."""
    from prometheus_client import CollectorRegistry, make_asgi_app, multiprocess
    from prometheus_client.core import GaugeMetricFamily
    from prometheus_client.registry import Collector

    class Keys(Collector):
        def collect(self) -> Iterator[GaugeMetricFamily]:
            family = GaugeMetricFamily("panelkey_keys", "Secret keys by state", labels=["state"])
            for state, count in sorted(key_states().items()):
                family.add_metric([state], count)
            yield family

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(Keys())
    return make_asgi_app(registry=registry)
