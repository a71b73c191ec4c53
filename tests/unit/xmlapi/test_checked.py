"""Bodies known to pass the packet's checks (xmlapi/checked.py), and the face keeping
only what it may: a refused body is checked (and refused) again every time, a packet
setting a password is never kept."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from panelkey.config import load_settings
from panelkey.core.errors import MalformedRequest
from panelkey.xmlapi import checked
from panelkey.xmlapi.app import XmlApi
from panelkey.xmlapi.checked import Checked


def test_a_digest_is_of_the_exact_bytes_and_none_for_a_big_body() -> None:
    body = b"<packet><server><get_protos/></server></packet>"
    assert Checked.digest(body) == Checked.digest(bytes(body))
    assert Checked.digest(body) != Checked.digest(body + b" ")
    assert Checked.digest(b"x" * checked.MAX_BODY) is not None
    assert Checked.digest(b"x" * (checked.MAX_BODY + 1)) is None


def test_the_last_ones_seen_are_kept_and_older_ones_forgotten() -> None:
    kept = Checked(kept=2)
    a, b, c, d, e = (Checked.digest(x) for x in (b"a", b"b", b"c", b"d", b"e"))
    kept.add(a)
    kept.add(b)
    kept.add(b)  # known: counted once
    kept.add(c)  # a new generation: a and b still known
    assert all(kept.passed(k) for k in (a, b, c))
    kept.add(d)
    kept.add(e)  # another: a and b forgotten
    assert not kept.passed(a) and not kept.passed(b)
    assert all(kept.passed(k) for k in (c, d, e))
    kept.add(None)
    assert not kept.passed(None)


@pytest.fixture
def face(tmp_path) -> XmlApi:  # type: ignore[no-untyped-def]
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    return XmlApi(SimpleNamespace(settings=settings))  # type: ignore[arg-type]


def test_an_accepted_body_is_kept_and_planned_again_from_a_new_parse(face: XmlApi) -> None:
    body = b"<packet><server><get_protos/></server></packet>"
    first, _ = face._prepare(body)
    assert face.checked.passed(Checked.digest(body))
    again, store = face._prepare(body)
    assert not store
    assert [(o, [(op.tag, h, tag) for op, h, tag in ops]) for o, ops in again] == [
        (o, [(op.tag, h, tag) for op, h, tag in ops]) for o, ops in first
    ]
    assert again[0][1][0][0] is not first[0][1][0][0]  # a tree of its own


def test_a_refused_body_is_refused_again_the_same_way(face: XmlApi) -> None:
    body = b'<packet version="1.6.9.1">\n<server><get_protos><x/></get_protos></server></packet>'
    refusals = []
    for _ in range(2):
        with pytest.raises(MalformedRequest) as caught:
            face._prepare(body)
        refusals.append(str(caught.value))
    assert refusals[0] == refusals[1] and "line 2" in refusals[0]
    assert not face.checked.passed(Checked.digest(body))


def test_a_packet_setting_a_password_is_never_kept(face: XmlApi) -> None:
    body = (
        b"<packet><customer><add><gen_info><pname>P</pname><login>pw1</login>"
        b"<passwd>secret-Pass-1</passwd></gen_info></add></customer></packet>"
    )
    face._prepare(body)
    face._prepare(body)
    assert not face.checked.passed(Checked.digest(body))
