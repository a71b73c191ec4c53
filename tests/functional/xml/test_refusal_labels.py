"""The journal's label of a packet (its operations) noted by the XML face, refusals
included, so that the access log and the journal need not parse the body again
(journal/describe.py); the label is the one describe would read from the body."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from panelkey.context import Context
from panelkey.core.identity import request_note
from panelkey.journal.describe import LABEL_BYTES, xml_operations
from panelkey.xmlapi.app import XmlApi
from tests.conftest import ADMIN_PASSWORD
from tests.functional.xml.xml_helpers import AGENT


def _ids(count: int, start: int = 1) -> str:
    return "".join(f"<id>{n}</id>" for n in range(start, start + count))


def _get(operator: str, ids: str) -> str:
    return (
        f"<{operator}><get><filter>{ids}</filter><dataset><gen_info/></dataset></get></{operator}>"
    )


def _noted(ctx: Context, body: bytes) -> tuple[dict[str, str], bytes]:
    """The request's note after the XML face answered `body`, and the answer."""
    app = XmlApi(ctx)

    async def go() -> tuple[dict[str, str], bytes]:
        note: dict[str, str] = {}
        token = request_note.set(note)  # as the journal's middleware listens
        try:
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50123))
            async with httpx.AsyncClient(transport=transport, base_url="http://pk") as client:
                headers = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
                answer = await client.post(AGENT, content=body, headers=headers)
        finally:
            request_note.reset(token)
        return note, answer.content

    return asyncio.run(go())


# (packet, errcode of its refusal whole or None when it runs): each one the face has read.
_NOTED = [
    # Past the filter budget, read a slice at a time: the label of its first 2 KB.
    (_get("customer", _ids(20_000)), 1024),
    (_get("site", _ids(2)) + _get("customer", _ids(20_000)), 1024),
    # A second operator starting past the first 2 KB is not in the label, as describe
    # leaves it out; nor one past the slice that refused it.
    (_get("customer", _ids(300)) + _get("webspace", _ids(20_000)) + _get("site", ""), 1024),
    # Small packets refused after they parsed: from their tree.
    ('<packet version="9.9"><server><get_protos/></server></packet>', 1005),
    ("<customer><add><gen_info><pname>" + "x" * 70 + "</pname></gen_info></add></customer>", 1019),
    ("<customer><get><bogus/></get></customer><server><get_protos/></server>", 1014),
    ("<server><get_protos/></server><!-- c --><customer><nope/></customer>", 1014),
    (
        "<secret_key><get_info><filter/></get_info></secret_key>" + "<customer><add/></customer>",
        1014,
    ),
    # Run: from the plan, whatever its size.
    ("<server><get_protos/><get/></server>", None),
    (_get("customer", _ids(300)), None),
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("inner", "errcode"), _NOTED)
def test_a_packet_the_face_read_is_noted_with_the_label_describe_would_read(
    ctx: Context, inner: str, errcode: int | None
) -> None:
    body = inner.encode() if inner.startswith("<packet") else f"<packet>{inner}</packet>".encode()
    note, answer = _noted(ctx, body)
    if errcode is None:
        assert b"<system>" not in answer
    else:
        assert f"<errcode>{errcode}</errcode>".encode() in answer
        assert b"<system>" in answer  # refused whole
    assert note["operation"] == xml_operations(body)
    assert note["operation"] not in ("", "-")


def test_the_big_refusals_above_are_labelled_from_their_first_2_kb_only() -> None:
    """What the table's third packet checks: describe's label leaves out what starts past
    LABEL_BYTES, so the face's must too."""
    body = f"<packet>{_NOTED[2][0]}</packet>".encode()
    assert body.find(b"<webspace>") > LABEL_BYTES
    assert xml_operations(body) == "customer/get"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_packet_refused_before_the_face_had_it_parsed_is_left_to_describe(
    ctx: Context,
) -> None:
    body = b"<packet><server><get_protos/></server>"  # not well formed
    note, answer = _noted(ctx, body)
    assert b"<errcode>1014</errcode>" in answer
    assert "operation" not in note
