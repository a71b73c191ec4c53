"""Operator webspace, its app filter: the subscription's own filter (add-package,
enable-aps-filter, disable-aps-filter) over its plans'; who may change it. The rows are
in test_webspace.py."""

from __future__ import annotations

from tests.functional.xml.operation_table import Scene
from tests.functional.xml.xml_helpers import XmlClient, error_of, results


def test_the_subscriptions_own_filter_overrides_its_plans(xml: XmlClient, scene: Scene) -> None:
    xml.call(
        "<aps><download-package><package><name>Joomla</name></package></download-package></aps>"
    )

    def offered() -> list[str | None]:
        root = xml.call(
            "<aps><get-packages-list-by-webspace><filter><name>dave.example</name></filter>"
            "</get-packages-list-by-webspace></aps>"
        )
        (result,) = results(root, "aps/get-packages-list-by-webspace")
        return [p.findtext("name") for p in result.findall("package")]

    root = xml.call(
        "<webspace><add-package><filter><name>dave.example</name></filter><package><name>url"
        "</name><value>https://apscatalog.example/joomla.app.zip</value></package>"
        "</add-package></webspace>"
    )
    (result,) = results(root, "webspace/add-package")
    assert result.findtext("status") == "ok" and result.findtext("filter-id") == "dave.example"
    assert offered() == ["Joomla"]
    xml.call("<webspace><disable-aps-filter><filter><name>dave.example</name></filter>"
             "</disable-aps-filter></webspace>")  # fmt: skip
    assert offered() == ["WordPress", "Joomla"]
    # the reseller may filter its customers' subscriptions, a customer may not
    root = xml.call(
        "<webspace><enable-aps-filter><filter><name>carol.example</name></filter>"
        "</enable-aps-filter></webspace>",
        key=scene.key("rick"),
    )
    assert results(root, "webspace/enable-aps-filter")[0].findtext("status") == "ok"
    root = xml.call(
        "<webspace><disable-aps-filter><filter><name>carol.example</name></filter>"
        "</disable-aps-filter></webspace>",
        key=scene.key("carol"),
    )
    assert error_of(results(root, "webspace/disable-aps-filter")[0])[0] == 1006
