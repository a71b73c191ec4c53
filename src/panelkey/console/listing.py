"""Paging and search for the console's lists, from query parameters (`?q=&page=`).

Pages are cut on the server: a page of 25 rows is what the browser gets, whatever the
list's length, and every page has a URL of its own (bookmark it, reload it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
PAGE_SIZE = 25
_QUERY_LIMIT = 200  # a search text longer than this is cut, not refused


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, where it is, and the links to its neighbours."""

    rows: Sequence[T]
    number: int
    pages: int
    total: int
    first: int  # 1-based position of the first row (0 when there are none)
    query: str = ""
    keep: dict[str, str] = field(default_factory=dict)  # other filters the links carry

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def link(self, number: int) -> str:
        """The query string of page `number` with the same search and filters."""
        params = {k: v for k, v in self.keep.items() if v}
        if self.query:
            params["q"] = self.query
        if number > 1:
            params["page"] = str(number)
        return "?" + urlencode(params) if params else "?"

    @property
    def previous(self) -> str | None:
        return self.link(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.link(self.number + 1) if self.number < self.pages else None


def search_text(params: Mapping[str, str]) -> str:
    return params.get("q", "").strip()[:_QUERY_LIMIT]


def page_number(params: Mapping[str, str]) -> int:
    """The `page` asked for; 1 for anything that is not a positive number."""
    text = params.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1


def paged(
    rows: Iterable[T],
    params: Mapping[str, str],
    text_of: Callable[[T], Iterable[Any]] | None = None,
    size: int = PAGE_SIZE,
    keep: dict[str, str] | None = None,
) -> Page[T]:
    """The page of `rows` that `params` asks for, keeping those whose fields (`text_of`)
    hold the search text, case-insensitively. A page past the end shows the last one."""
    query = search_text(params)
    listed = list(rows)
    if query and text_of is not None:
        needle = query.casefold()
        listed = [r for r in listed if any(needle in str(v).casefold() for v in text_of(r))]
    total = len(listed)
    pages = max(1, -(-total // size))
    number = min(page_number(params), pages)
    start = (number - 1) * size
    chunk = listed[start : start + size]
    return Page(chunk, number, pages, total, start + 1 if chunk else 0, query, keep or {})


def window(
    fetch: Callable[[int], Sequence[T]],
    params: Mapping[str, str],
    size: int = PAGE_SIZE,
    keep: dict[str, str] | None = None,
) -> Page[T]:
    """A page of a newest-first list that can only be read from its newest end:
    `fetch(n)` gives the newest n rows (already searched), newest first. It asks for one
    row past the page to know whether there is a next one; the total is a lower bound."""
    number = page_number(params)
    rows = fetch(number * size + 1)
    if len(rows) <= (number - 1) * size and number > 1:  # past the end: the last page
        number = max(1, -(-len(rows) // size))
    start = (number - 1) * size
    chunk = rows[start : start + size]
    more = len(rows) > start + size
    pages = number + 1 if more else number
    return Page(
        chunk, number, pages, len(rows), start + 1 if chunk else 0, search_text(params), keep or {}
    )
