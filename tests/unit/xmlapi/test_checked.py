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


def test_the_oldest_goes_first_and_a_known_one_is_not_added_twice() -> None:
    kept = Checked(kept=2)
    a, b, c = (Checked.digest(x) for x in (b"a", b"b", b"c"))
    kept.add(a)
    kept.add(b)
    kept.add(a)  # known: nothing goes
    assert kept.passed(a) and kept.passed(b)
    kept.add(c)
    assert not kept.passed(a) and kept.passed(b) and kept.passed(c)
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
    assert [(o, [(op.tag, h) for op, h in ops]) for o, ops in again] == [
        (o, [(op.tag, h) for op, h in ops]) for o, ops in first
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
