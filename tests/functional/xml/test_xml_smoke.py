from xml_helpers import XmlClient, results


def test_get_protos_answers_with_the_admin_key(xml: XmlClient) -> None:
    root = xml.call("<server><get_protos/></server>")
    (result,) = results(root, "server/get_protos")
    assert result.findtext("status") == "ok"
    assert result.findall("protos/proto")[-1].text == "1.6.9.1"
