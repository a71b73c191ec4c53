"""The access log, off the request's path: a request queues what it left behind (one
append), and `drain`, twice a second, makes the lines on the event loop a slice at a
time between requests and writes them in batches in a thread (`flush` once more at
shutdown, and wherever no loop runs).

A line is what it was when each request logged its own: `<time> INFO panelkey.access:
<source> <face> <credential> <operations> -> <status> <outcome>[ errcode=][ reason=]
<duration>`, stamped with the time the request ended. What waits is bounded (`MAX_LINES`
lines, `MAX_BYTES` of bodies kept for the XML ones' operations and errcode): past that a
line is dropped and counted, never waited for, and the next flush says how many.
"""

from __future__ import annotations

import asyncio
import logging
import operator
import os
import select
import stat
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from panelkey.journal.describe import Raw, describe, entry_of, errcode_of, outcome_of

access_log = logging.getLogger("panelkey.access")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_LINES = 65536
MAX_BYTES = 64 * 1024 * 1024
_LOOP_SLICE = 64  # lines `drain` makes on the event loop in one go, about 150 µs
# A pipe write of at most PIPE_BUF bytes is never interleaved with another process's:
# the workers of one server share stderr, and no line may be cut by another's.
_PIPE_BUF = getattr(select, "PIPE_BUF", 512)


def access_line(e: dict[str, Any]) -> str:
    """The access-log form of a journal entry: one line, no bodies."""
    head = _head(
        e["source"], e["face"], e["credential"], e["operation"], e["status"], e["outcome"],
        e["errcode"], e["reason"],
    )  # fmt: skip
    return f"{head} {e['duration_ms']:.1f}ms"


def _head(
    source: str,
    face: str,
    credential: str,
    operation: str,
    status: int,
    outcome: str,
    errcode: str,
    reason: str,
) -> str:
    """A line but its duration: the part many lines share."""
    code = f" errcode={errcode}" if errcode else ""
    why = f" reason={reason!r}" if reason else ""
    return (
        f"{source or '-'} {face} {credential or '-'} {operation or '-'}"
        f" -> {status} {outcome}{code}{why}"
    )


# Heads of lines made lately, by what they are made of: under load most lines differ from
# the one before only in their duration. Cleared when full. Made on the event loop (a
# flush elsewhere, at shutdown or in a test, at worst makes a head twice).
_HEADS: dict[tuple[str, str, str, str, int, str, str], str] = {}
_HEADS_KEPT = 1024


def line_of(raw: Raw) -> str:
    """`access_line` of the entry `raw` makes, made from `raw` at once, without the
    entry's dictionary (a third of the access log's cost a line), as `describe` would
    finish it: an XML line's operations are those the face noted, its errcode the
    answer's. Only a packet the face did not label (refused before it was parsed) needs
    the entry described, its body read."""
    _at, face, source, credential, noted, operation, status, reason, elapsed, _, got = raw
    errcode = ""
    if face == "xml":
        if not noted:
            entry = entry_of(raw)
            describe(entry)
            return access_line(entry)
        operation, errcode = noted, errcode_of(got)
    duration = _duration_text(elapsed)
    key = (source, face, credential, operation, status, errcode, reason)
    head = _HEADS.get(key)
    if head is None:
        if len(_HEADS) >= _HEADS_KEPT:
            _HEADS.clear()
        outcome = outcome_of(status, errcode)
        head = _head(source, face, credential, operation, status, outcome, errcode, reason)
        _HEADS[key] = head
    return f"{head} {duration}ms"


# `f"{round(elapsed, 2):.1f}"` (the entry's rounding, then the line's) by hundredths of a
# millisecond: both roundings of a float go through its exact decimal digits, a fifth of
# a line's cost. Made once for each hundredth seen (bounded), exactly as then.
_TENTHS: dict[int, str] = {}
_TENTHS_KEPT = 1 << 16
_EXACT_BELOW = 1 << 20  # hundredths: past them, the float product may be off by a hundredth


def _duration_text(elapsed: float) -> str:
    """The text of `round(elapsed, 2)` as `.1f`, the same as formatting it."""
    scaled = elapsed * 100.0
    whole = int(scaled)
    part = scaled - whole
    # The product is within 2**-33 of the exact one here: only a value that near a half
    # could be rounded the other way than `round` rounds it (which halves go to even).
    if not 0 <= whole < _EXACT_BELOW or -1e-6 < part - 0.5 < 1e-6:
        return f"{round(elapsed, 2):.1f}"
    hundredths = whole + 1 if part > 0.5 else whole
    text = _TENTHS.get(hundredths)
    if text is None:
        # `hundredths / 100` is the float `round` gives: the one nearest that decimal.
        text = f"{hundredths / 100:.1f}"
        if len(_TENTHS) < _TENTHS_KEPT:
            _TENTHS[hundredths] = text
    return text


# A time's milliseconds as logging writes them ("%03d"), made once.
_MILLISECONDS = tuple(f"{ms:03d}" for ms in range(1000))


class LogFormatter(logging.Formatter):
    """The server log's format (`LOG_FORMAT`), the time's text made once a second: the
    same text as `logging.Formatter(LOG_FORMAT)`. `lines` writes access lines with it
    without making a log record for each."""

    def __init__(self) -> None:
        super().__init__(LOG_FORMAT)
        self._second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        if datefmt:
            return super().formatTime(record, datefmt)
        return self._stamp(record.created, record.msecs)

    def _stamp(self, created: float, msecs: float) -> str:
        # logging's default_msec_format, "%s,%03d"
        return f"{self._text(int(created))},{int(msecs):03d}"

    def _text(self, second: int) -> str:
        """The text of a second, made once a second."""
        known, text = self._second
        if second != known:
            text = time.strftime(self.default_time_format, self.converter(second))
            self._second = (second, text)  # one tuple: threads read a consistent pair
        return text

    def lines(
        self,
        name: str,
        items: Iterable[Any],
        message: Callable[[Any], str] = operator.itemgetter(1),
    ) -> list[str]:
        """`format` of an INFO record of logger `name` for each item, its time `item[0]`
        and its message `message(item)` (by default a (time, message) pair's): `_stamp`
        and `_msecs` inlined, the time's text made again only when the second changes."""
        second, text = self._second
        made = []
        for item in items:
            at = item[0]
            whole = int(at)
            if whole != second:
                second, text = whole, self._text(whole)
            made.append(
                f"{text},{_MILLISECONDS[int((at - whole) * 1000)]} INFO {name}: {message(item)}"
            )
        return made


def _msecs(at: float) -> float:
    return int((at - int(at)) * 1000) + 0.0  # as logging.LogRecord makes it


class AccessLog:
    """The access lines of one worker. `add` queues and `drain` takes and makes (both on
    the event loop, so the queue needs no lock); `flush` takes and writes where no loop
    runs (at shutdown, after the last request's `add`)."""

    def __init__(
        self,
        logger: logging.Logger = access_log,
        max_lines: int = MAX_LINES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.logger = logger
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.dropped = 0  # since the start
        self._pending: list[Raw] = []
        self._bytes = 0
        self._unsaid = 0  # dropped since the last flush
        self._writing = threading.Lock()  # one flush at a time, lines in their order

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    def add(self, raw: Raw) -> None:
        """Queue a request's line, or drop and count it when the queue is full. Called
        where `_take` is (the event loop, or wherever no loop runs): no lock."""
        size = len(raw[9]) + len(raw[10])
        pending = self._pending
        if len(pending) >= self.max_lines or self._bytes + size > self.max_bytes:
            self.dropped += 1
            self._unsaid += 1
            return
        pending.append(raw)
        self._bytes += size

    def flush(self) -> int:
        """Make and write the queued lines; returns how many were written."""
        batch, unsaid = self._take()
        items = [(raw[0], line_of(raw)) for raw in batch]
        self._put(items, unsaid)
        return len(items)

    async def drain(self) -> int:
        """`flush` for the server's event loop: the lines made on the loop, _LOOP_SLICE at
        a time between the requests, and written in a thread (a slow pipe must not hold
        the loop). Where they go to one plain stream (the server's stderr), they are made
        whole there, time and all, and cut into the writes the thread makes: Python work
        in the thread takes the GIL from the loop over and over, and costs the server
        several times its own (bench/findings/access-log.md); the write itself gives the
        GIL up. Cancelled (the server stopping), it writes what it took at once: no line
        is lost."""
        batch, unsaid = self._take()
        stream = _plain_stream(self.logger)
        made: list[Any] = []  # (time, message) items, or whole lines for `stream`
        try:
            for start in range(0, len(batch), _LOOP_SLICE):
                made += self._made(batch[start : start + _LOOP_SLICE], stream)
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            made += self._made(batch[len(made) :], stream)
            self._put_made(made, stream, unsaid)
            raise
        if stream is not None:
            made = _chunks(made, stream.terminator, _atomic(stream.stream))
        await asyncio.to_thread(self._put_made, made, stream, unsaid)
        return len(batch)

    def _made(self, raws: list[Raw], stream: logging.StreamHandler[Any] | None) -> list[Any]:
        if stream is None:
            return [(raw[0], line_of(raw)) for raw in raws]
        # Whole lines in one pass: the message made as the line is.
        return cast(LogFormatter, stream.formatter).lines(self.logger.name, raws, line_of)

    def _put_made(
        self, made: list[Any], stream: logging.StreamHandler[Any] | None, unsaid: int
    ) -> None:
        if stream is None:
            self._put(made, unsaid)
            return
        with self._writing:
            _write_chunks(stream, made)
            self._said_dropped(unsaid)

    def _take(self) -> tuple[list[Raw], int]:
        batch, self._pending, self._bytes = self._pending, [], 0
        unsaid, self._unsaid = self._unsaid, 0
        return batch, unsaid

    def _put(self, items: list[tuple[float, str]], unsaid: int) -> None:
        with self._writing:
            if items:
                self._write(items)
            self._said_dropped(unsaid)

    def _said_dropped(self, unsaid: int) -> None:
        if unsaid:
            self.logger.warning(
                "%d access-log lines dropped: requests came faster than they could be written",
                unsaid,
            )

    def _write(self, items: list[tuple[float, str]]) -> None:
        """As `logger.info` would have, line by line, through every handler it reaches;
        a plain stream gets them in a few writes instead of one a line."""
        logger = self.logger
        records: list[logging.LogRecord] | None = None
        if logger.disabled:
            return
        if logger.filters:
            records = [r for r in self._records(items) if logger.filter(r)]
        for handler in _handlers(logger):
            if handler.level > logging.INFO:
                continue
            formatter = handler.formatter
            if isinstance(formatter, LogFormatter) and not (logger.filters or handler.filters):
                lines = formatter.lines(logger.name, items)  # no record made for a line
                if _send(handler, lines):
                    continue
            if records is None:
                records = self._records(items)
            if not handler.filters and _send(handler, (handler.format(r) for r in records)):
                continue
            for record in records:
                handler.handle(record)

    def _records(self, items: list[tuple[float, str]]) -> list[logging.LogRecord]:
        made = []
        for at, line in items:
            record = self.logger.makeRecord(
                self.logger.name, logging.INFO, __file__, 0, "%s", (line,), None
            )
            record.created, record.msecs = at, _msecs(at)
            made.append(record)
        return made


def _handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record of `logger` reaches, as `Logger.callHandlers` walks them."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found.extend(current.handlers)
        if not current.propagate:
            break
        current = current.parent
    if not found and logging.lastResort is not None:
        found.append(logging.lastResort)
    return found


_PLAIN_EMITS = (logging.StreamHandler.emit, logging.FileHandler.emit)


def _plain(handler: logging.Handler) -> bool:
    """A handler whose lines can be written as text: a stream handler of logging's own
    (a handler of its own, a test's capture say, sees every record)."""
    return (
        isinstance(handler, logging.StreamHandler)
        and handler.stream is not None
        and type(handler).emit in _PLAIN_EMITS
    )


def _plain_stream(logger: logging.Logger) -> logging.StreamHandler[Any] | None:
    """The one handler access lines reach when it is a plain stream with the server's
    format and no filter anywhere (the server's stderr), else None: `_write` then makes
    each handler's lines its own way."""
    if logger.disabled or logger.filters:
        return None
    reached = [h for h in _handlers(logger) if h.level <= logging.INFO]
    if len(reached) != 1:
        return None
    handler = reached[0]
    if handler.filters or not isinstance(handler.formatter, LogFormatter) or not _plain(handler):
        return None
    return cast("logging.StreamHandler[Any]", handler)


def _send(handler: logging.Handler, texts: Iterable[str]) -> bool:
    """Write the formatted lines to a plain stream handler, whole lines at most PIPE_BUF
    bytes a write where they must be (a pipe); False (nothing written) for any other
    handler."""
    if not _plain(handler):
        return False
    stream = cast("logging.StreamHandler[Any]", handler)
    _write_chunks(stream, _chunks(list(texts), stream.terminator, _atomic(stream.stream)))
    return True


def _write_chunks(handler: logging.StreamHandler[Any], chunks: list[str]) -> None:
    with handler.lock or threading.Lock():
        try:
            for chunk in chunks:
                handler.stream.write(chunk)
                handler.flush()
        except Exception:  # noqa: BLE001 - as logging does: a log that cannot be written
            # Said once while it lasts (a full disk would take a traceback a flush).
            if handler not in _FAILING:
                _FAILING.add(handler)
                handler.handleError(logging.makeLogRecord({"msg": "access log lines lost"}))
        else:
            _FAILING.discard(handler)


_FAILING: weakref.WeakSet[logging.Handler] = weakref.WeakSet()


def _atomic(stream: Any) -> bool:
    """Whether a write must be at most PIPE_BUF bytes to leave whole: on a pipe or a
    socket, which other workers may write to as well. A file's writes are whole however
    long (each takes the file's position whole), and so are a terminal's."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return True  # not the system's (a buffer in a test): as a pipe, to be safe
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _chunks(lines: list[str], end: str, atomic: bool = True) -> list[str]:
    """The lines, each ended, in writes: one where `atomic` is not asked, else of whole
    lines of at most _PIPE_BUF bytes (a longer line alone). ASCII text is cut where its
    last line end in each _PIPE_BUF falls, a search in C, instead of line by line in
    Python."""
    if not lines:
        return []
    whole = end.join(lines) + end
    if not atomic:
        return [whole]
    if not whole.isascii():  # its bytes may outnumber its characters
        return list(_by_line(lines, end))
    cut: list[str] = []
    start, size, step = 0, len(whole), len(end)
    while start < size:
        stop = whole.rfind(end, start, start + _PIPE_BUF) + step
        if stop <= start:  # a line longer than _PIPE_BUF: alone
            stop = whole.find(end, start) + step
        cut.append(whole[start:stop])
        start = stop
    return cut


def _by_line(texts: Iterable[str], end: str) -> Iterator[str]:
    part: list[str] = []
    size = 0
    for text in texts:
        line = text + end
        if not line.isascii():  # its bytes may outnumber its characters: alone, as before
            if part:
                yield "".join(part)
                part, size = [], 0
            yield line
            continue
        if part and size + len(line) > _PIPE_BUF:
            yield "".join(part)
            part, size = [], 0
        part.append(line)
        size += len(line)
    if part:
        yield "".join(part)
