"""Packet budgets: past each one, a Plesk-shaped error and nothing written."""

from __future__ import annotations

from panelkey.core.panel import Panel
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import error_of, results, system_error


def _customer(login: str, extra: str = "") -> str:
    return (
        "<customer><add><gen_info><cname>Acme</cname><pname>John Doe</pname>"
        f"<login>{login}</login><passwd>pw-{login}-123</passwd>{extra}"
        "</gen_info></add></customer>"
    )


def _logins(panel: Panel) -> set[str]:
    return {a.login for a in panel.accounts.list()} - {"admin"}


def test_too_many_operations_answer_1024_and_run_none(make_xml: MakeXml, panel: Panel) -> None:
    xml = make_xml(max_operations=3)
    keys_before = len(panel.keys.list())
    creates = "<secret_key>" + "<create/>" * 4 + "</secret_key>"
    code, text = system_error(xml.call(creates))
    assert code == 1024 and "4 operations" in text and "maxOperationsPerPacket" in text
    assert len(panel.keys.list()) == keys_before
    assert results(
        xml.call("<secret_key>" + "<create/>" * 3 + "</secret_key>"), "secret_key/create"
    )


def test_too_many_passwords_answer_1024_and_hash_none(make_xml: MakeXml, panel: Panel) -> None:
    xml = make_xml(max_password_hashes=2)
    code, text = system_error(xml.call(_customer("c1") + _customer("c2") + _customer("c3")))
    assert code == 1024 and "3 passwords" in text and "maxPasswordsPerPacket" in text
    assert _logins(panel) == set()
    xml.call(_customer("c1") + _customer("c2"))
    assert _logins(panel) == {"c1", "c2"}


def test_a_field_past_its_length_answers_1019_and_writes_nothing(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(max_field_length=500)
    long_name = _customer("c1", "").replace("John Doe", "J" * 61)  # Plesk: pname 1 to 60
    code, text = system_error(xml.call(_customer("c0") + long_name))
    assert code == 1019 and "'pname'" in text and "at most 60" in text
    too_long = "<secret_key><create><description>" + "d" * 1025 + "</description></create>"
    code, text = system_error(xml.call(too_long + "</secret_key>"))
    assert code == 1019 and "'description'" in text
    other = "<secret_key><create><ip_address>" + "1" * 501 + "</ip_address></create></secret_key>"
    code, text = system_error(xml.call(other))
    assert code == 1019 and "at most 500" in text
    assert _logins(panel) == set()


def test_past_the_answer_size_the_rest_of_the_packet_answers_1024_and_does_not_run(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(max_answer=1500)
    keys_before = len(panel.keys.list())
    protos = "<server><get_protos/></server>"
    root = xml.call(protos * 3 + "<secret_key><create/></secret_key>")
    answers = [r for op in ("server/get_protos", "secret_key/create") for r in results(root, op)]
    codes = [int(r.findtext("errcode") or 0) for r in answers]
    assert codes[0] == 0 and 1024 in codes and codes[-1] == 1024
    assert "maxAnswerSize" in error_of(answers[-1])[1]
    assert len(panel.keys.list()) == keys_before  # the create after the limit never ran


def test_a_lone_read_past_the_answer_size_answers_1024(make_xml: MakeXml) -> None:
    xml = make_xml(max_answer=500)
    (answer,) = results(xml.call("<server><get_protos/></server>"), "server/get_protos")
    code, text = error_of(answer)
    assert code == 1024 and "maxAnswerSize" in text


def test_reads_before_the_answer_size_keep_their_data(make_xml: MakeXml) -> None:
    xml = make_xml(max_answer=1500)
    root = xml.call("<server><get_protos/></server>" * 4)
    codes = [int(r.findtext("errcode") or 0) for r in results(root, "server/get_protos")]
    assert codes == [0, 1024, 1024, 1024]
    assert root.find("server/get_protos/result/protos") is not None


def test_a_big_packet_is_held_to_the_same_depth(make_xml: MakeXml) -> None:
    from panelkey.xmlapi.parsing import MAX_DEPTH

    xml = make_xml()
    padding = "<!-- " + "p" * 20_000 + " -->"  # big enough to be checked off the loop
    deep = "<a>" * MAX_DEPTH + "</a>" * MAX_DEPTH
    code, text = system_error(xml.call(padding + deep))
    assert code == 1014 and f"deeper than {MAX_DEPTH} levels" in text
