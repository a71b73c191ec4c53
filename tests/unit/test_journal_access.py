"""The access log written in batches: the same lines as a `logger.info` a request, in
whole-line writes, bounded, and never waited for by the request."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import random
import select
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from panelkey.journal import AccessLog, LogFormatter, access_line, describe, entry_of
from panelkey.journal.access import LOG_FORMAT, line_of
from panelkey.journal.describe import Raw

PROTOS = b"<packet><server><get_protos/></server></packet>"
REFUSED = b"<packet><system><status>error</status><errcode>11003</errcode></system></packet>"


def _raw(at: float, face: str = "xml", status: int = 200, answer: bytes = b"", **kw: str) -> Raw:
    return (
        at,
        face,
        kw.get("source", "127.0.0.1"),
        kw.get("credential", "key 7"),
        kw.get("noted", ""),
        "POST /enterprise/control/agent.php" if face == "xml" else "GET /api/v2/server",
        status,
        kw.get("reason", ""),
        1.23456,
        PROTOS if face == "xml" else b"",
        answer
        or b"<packet><server><get_protos><result><status>ok</status></result>"
        b"</get_protos></server></packet>",
    )


RAWS = [
    _raw(1_700_000_000.0005),
    _raw(1_700_000_000.9999, noted="server/get_protos"),
    _raw(1_700_000_001.25, status=200, answer=REFUSED, reason="unknown key", credential="key"),
    _raw(1_700_003_600.5, face="rest", status=401, credential="login jdoe"),
    _raw(1_700_003_600.75, face="rest", source="", credential=""),
    _raw(1_700_003_601.5, face="rest", credential="login jürgen"),  # not ASCII
]


def _as_logger_info_wrote(raw: Raw) -> str:
    """The line as the middleware wrote it before: `access_log.info` at the request's end,
    through the server's handler (LOG_FORMAT)."""
    entry = entry_of(raw)
    describe(entry)
    record = logging.LogRecord(
        "panelkey.access", logging.INFO, "", 0, "%s", (access_line(entry),), None
    )
    record.created, record.msecs = raw[0], int((raw[0] - int(raw[0])) * 1000) + 0.0
    return logging.Formatter(LOG_FORMAT).format(record) + "\n"


class _Writes(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    made = logging.getLogger(f"panelkey.access.test{id(object())}")
    made.setLevel(logging.INFO)
    made.propagate = False
    yield made
    made.handlers.clear()


def _stream(
    logger: logging.Logger, formatter: logging.Formatter, level: int = logging.NOTSET
) -> _Writes:
    out = _Writes()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    handler.setLevel(level)
    logger.addHandler(handler)
    return out


def test_the_server_formatter_writes_what_the_standard_one_does() -> None:
    ours, standard = LogFormatter(), logging.Formatter(LOG_FORMAT)
    for at in (1_700_000_000.0, 1_700_000_000.999, 1_700_000_001.5, 1_600_000_000.0421):
        record = logging.LogRecord("panelkey.x", logging.WARNING, "", 0, "a %s", ("b",), None)
        record.created, record.msecs = at, int((at - int(at)) * 1000) + 0.0
        assert ours.format(record) == standard.format(record)


@pytest.mark.parametrize("formatter", [LogFormatter(), logging.Formatter(LOG_FORMAT)])
def test_a_flush_writes_the_lines_logger_info_wrote(
    logger: logging.Logger, formatter: logging.Formatter
) -> None:
    out = _stream(logger, formatter)
    access = AccessLog(logger)
    for raw in RAWS:
        access.add(raw)
    assert out.getvalue() == ""  # nothing on the request's path
    assert access.flush() == len(RAWS)
    expected = "".join(
        _as_logger_info_wrote(raw).replace("panelkey.access", logger.name) for raw in RAWS
    )
    assert out.getvalue() == expected
    assert " errcode=11003 reason='unknown key' " in out.getvalue()
    assert access.flush() == 0 and out.getvalue() == expected


def test_a_handler_of_its_own_sees_every_record(logger: logging.Logger) -> None:
    capture = _Capture()
    logger.addHandler(capture)
    access = AccessLog(logger)
    for raw in RAWS:
        access.add(raw)
    access.flush()
    assert [r.getMessage() for r in capture.records] == [
        _as_logger_info_wrote(raw).split(": ", 1)[1].rstrip("\n") for raw in RAWS
    ]
    assert [r.created for r in capture.records] == [raw[0] for raw in RAWS]
    assert {r.levelno for r in capture.records} == {logging.INFO}


def test_the_server_formatter_makes_no_record_a_line(logger: logging.Logger) -> None:
    class NoRecords(LogFormatter):
        def format(self, record: logging.LogRecord) -> str:
            raise AssertionError("a record was formatted")

    out = _stream(logger, NoRecords())
    logger.addHandler(_Capture())  # another handler's records are not this one's
    access = AccessLog(logger)
    for raw in RAWS:
        access.add(raw)
    access.flush()
    assert out.getvalue() == "".join(
        _as_logger_info_wrote(raw).replace("panelkey.access", logger.name) for raw in RAWS
    )


def test_lines_are_written_whole_in_writes_of_at_most_pipe_buf(logger: logging.Logger) -> None:
    out = _stream(logger, LogFormatter())
    access = AccessLog(logger)
    for n in range(500):
        access.add(_raw(1_700_000_000 + n / 100, face="rest", credential=f"login user{n}"))
    access.flush()
    assert 1 < len(out.writes) < 50  # batched, not a write a line
    assert all(len(w.encode()) <= 4096 and w.endswith("\n") for w in out.writes)
    assert len(out.getvalue().splitlines()) == 500


def test_a_full_queue_drops_and_counts_and_the_flush_says_so(logger: logging.Logger) -> None:
    out = _stream(logger, LogFormatter())
    access = AccessLog(logger, max_lines=3)
    for raw in RAWS[:5]:
        access.add(raw)
    assert access.dropped == 2
    assert access.flush() == 3
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert "WARNING" in lines[3] and "2 access-log lines dropped" in lines[3]
    access.add(RAWS[5])  # room again
    assert access.flush() == 1 and access.dropped == 2


def test_bodies_waiting_are_bounded_too(logger: logging.Logger) -> None:
    access = AccessLog(logger, max_bytes=3 * (len(PROTOS) + 200))
    for raw in RAWS[:3]:  # XML, each with its request and about 100 bytes of answer
        access.add(raw)
    access.add(_raw(1.0, answer=b"x" * 1000))
    assert access.dropped == 1


def test_a_request_never_waits_for_a_flush_that_is_writing(logger: logging.Logger) -> None:
    release = threading.Event()

    class Slow(io.StringIO):
        def write(self, text: str) -> int:
            release.wait(10)
            return super().write(text)

    handler = logging.StreamHandler(Slow())
    handler.setFormatter(LogFormatter())
    logger.addHandler(handler)
    access = AccessLog(logger)
    access.add(RAWS[0])
    flushing = threading.Thread(target=access.flush)
    flushing.start()
    time.sleep(0.1)  # the flush is stuck in its write
    started = time.perf_counter()
    for raw in RAWS[1:]:
        access.add(raw)
    assert time.perf_counter() - started < 0.05
    release.set()
    flushing.join(10)
    assert access.flush() == len(RAWS) - 1


def test_nothing_is_written_below_info(logger: logging.Logger) -> None:
    out = _stream(logger, LogFormatter(), logging.WARNING)
    logger.setLevel(logging.WARNING)
    access = AccessLog(logger)
    assert not access.enabled
    logger.setLevel(logging.INFO)
    assert access.enabled
    access.add(RAWS[0])
    assert access.flush() == 1
    assert out.getvalue() == ""  # the handler takes warnings only


@pytest.mark.parametrize("elapsed", [0.0, 0.04999, 0.05, 1.2451, 1.2549, 1.25, 99.95, 12345.678])
@pytest.mark.parametrize("face", ["xml", "rest"])
def test_a_line_made_from_the_raw_entry_is_the_described_entrys(face: str, elapsed: float) -> None:
    # XML: labelled by the face or not, answered ok or with an errcode; each line made
    # twice, the second from the heads kept for lines alike.
    kinds = [{}, {"noted": "server/get_protos"}] if face == "xml" else [{}]
    for status in (200, 401, 503):
        for kind in kinds:
            for answer in (b"", REFUSED):
                raw = _raw(
                    1_700_000_000.5, face=face, status=status, answer=answer, reason="why", **kind
                )
                raw = (*raw[:8], elapsed, *raw[9:])
                entry = entry_of(raw)
                describe(entry)
                assert line_of(raw) == access_line(entry) == line_of(raw)


def test_a_lines_duration_is_the_entrys_however_near_a_half_it_falls() -> None:
    # The line's duration text is made by hundredths (access.py): it must be what
    # formatting the entry's round(elapsed, 2) gives, ties and near-ties included.
    rng = random.Random(26)
    values = [rng.uniform(0, 5) for _ in range(4000)]
    values += [rng.randint(0, 2_000_000) / 1000 for _ in range(4000)]  # x.xx5 near-ties
    values += [rng.randint(0, 40_000) / 8 for _ in range(2000)]  # exact binary halves
    values += [(rng.randint(0, 10**7) + 0.5) / 100 for _ in range(2000)]
    values += [0.005, 0.015, 0.125, 0.145, 10485.755, 10485.765, 1e7 + 0.005, 1e-9]
    base = _raw(1_700_000_000.5, noted="server/get_protos")
    for elapsed in values:
        raw = (*base[:8], elapsed, *base[9:])
        entry = entry_of(raw)
        describe(entry)
        assert line_of(raw) == access_line(entry), elapsed


def test_long_and_non_ascii_lines_are_written_whole_and_in_order(logger: logging.Logger) -> None:
    out = _stream(logger, LogFormatter())
    access = AccessLog(logger)
    credentials = [f"login user{n}" for n in range(300)]
    credentials[10] = "login " + "x" * 5000  # longer than a pipe's atomic write
    credentials[20] = "login jürgen"
    credentials[21] = "login " + "é" * 3000  # 6 KB of UTF-8
    for n, credential in enumerate(credentials):
        access.add(_raw(1_700_000_000 + n / 100, face="rest", credential=credential))
    access.flush()
    written = out.getvalue().splitlines()
    assert [line.split(" rest ", 1)[1].split(" GET ")[0] for line in written] == credentials
    for w in out.writes:
        assert w.endswith("\n")
        assert len(w.encode()) <= 4096 or w.count("\n") == 1  # a long line alone


def _rest(n: int) -> Raw:
    return _raw(1_700_000_000 + n / 100, face="rest", credential=f"login u{n}")


def test_a_drain_writes_what_a_flush_does_and_lets_the_loop_run_between_slices(
    logger: logging.Logger,
) -> None:
    out = _stream(logger, LogFormatter())
    access = AccessLog(logger)
    raws = [_rest(n) for n in range(300)]
    for raw in raws:
        access.add(raw)
    turns = 0

    async def other_requests() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    async def go() -> int:
        beside = asyncio.create_task(other_requests())
        await asyncio.sleep(0)
        done = await access.drain()
        beside.cancel()
        return done

    assert asyncio.run(go()) == 300
    assert turns > 300 // 64  # the loop ran between the slices
    assert out.getvalue() == "".join(
        _as_logger_info_wrote(raw).replace("panelkey.access", logger.name) for raw in raws
    )


def test_a_drain_cancelled_while_making_its_lines_writes_them_all(logger: logging.Logger) -> None:
    """The server stopping cancels the drain: the lines it took are written at once, in
    order, before the last flush's."""
    out = _stream(logger, LogFormatter())
    access = AccessLog(logger)
    raws = [_rest(n) for n in range(500)]
    for raw in raws[:400]:
        access.add(raw)

    async def go() -> None:
        draining = asyncio.create_task(access.drain())
        for _ in range(3):  # a few slices made
            await asyncio.sleep(0)
        draining.cancel()
        with pytest.raises(asyncio.CancelledError):
            await draining

    asyncio.run(go())
    for raw in raws[400:]:
        access.add(raw)
    assert access.flush() == 100
    assert out.getvalue() == "".join(
        _as_logger_info_wrote(raw).replace("panelkey.access", logger.name) for raw in raws
    )


class _Counted(io.TextIOWrapper):
    """A text stream over a file or a pipe that keeps each write it is given."""

    def __init__(self, binary: BinaryIO) -> None:
        super().__init__(binary, encoding="utf-8")
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def _drain_300_lines(logger: logging.Logger, stream: _Counted) -> str:
    """Three hundred lines drained to `stream`, then closed: the text they must be."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LogFormatter())
    logger.addHandler(handler)
    access = AccessLog(logger)
    raws = [_rest(n) for n in range(300)]
    for raw in raws:
        access.add(raw)
    assert asyncio.run(access.drain()) == 300
    stream.close()
    return "".join(
        _as_logger_info_wrote(raw).replace("panelkey.access", logger.name) for raw in raws
    )


def test_a_drain_to_a_file_writes_its_lines_in_one_write(
    logger: logging.Logger, tmp_path: Path
) -> None:
    """Made whole on the loop, the lines leave the thread in one write: a file's writes
    are never cut by another process's, however long."""
    stream = _Counted(open(tmp_path / "server.log", "wb"))  # noqa: SIM115 - closed by the drain
    expected = _drain_300_lines(logger, stream)
    assert (tmp_path / "server.log").read_text() == expected
    assert [len(w) for w in stream.writes] == [len(expected)]


def test_a_drain_to_a_pipe_writes_whole_lines_of_at_most_pipe_buf_bytes(
    logger: logging.Logger,
) -> None:
    """Other workers write to the same pipe: no write may be long enough to be cut."""
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(read_end, chunks))
    reader.start()
    stream = _Counted(os.fdopen(write_end, "wb"))
    expected = _drain_300_lines(logger, stream)
    reader.join(10)
    assert b"".join(chunks).decode() == expected
    assert len(stream.writes) > 1
    assert all(len(w.encode()) <= select.PIPE_BUF and w.endswith("\n") for w in stream.writes)


def _read_all(fd: int, into: list[bytes]) -> None:
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(65536):
            into.append(chunk)
