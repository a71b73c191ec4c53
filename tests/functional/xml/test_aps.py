"""Operator `aps`: the catalogue, packages on the server, download tasks, installed
applications, and what resellers and subscriptions are offered (docs/xml-api.md)."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, all_ok, error_of, results

WP = "<package-id>{wp}</package-id>"

CASES = [
    Case(
        "aps",
        "download-package",
        "<package><name>Joomla</name></package>",
        "<download-package><package><version>4</version><name>Joomla</name></package>"
        "</download-package>",
        "version",
        None,  # a package the catalogue lacks is a task finished with an error (below)
        "",
        "rick",
    ),
    Case(
        "aps",
        "get-download-status",
        "<filter><task-id>{task}</task-id></filter>",
        "<get-download-status><x/><filter/></get-download-status>",
        "x",
        "<filter><task-id>4242</task-id></filter>",
        "Download task does not exist",
        "rick",
    ),
    Case(
        "aps",
        "import-package",
        "<filename>/tmp/Redmine-5.1.0-2.app.zip</filename>",
        "<import-package><x/><filename>a-1-1.app.zip</filename></import-package>",
        "x",
        None,  # a file name not of APS's form is a bad value (1019)
        "",
        "rick",
    ),
    Case(
        "aps",
        "get-packages-list",
        "<filter/>",
        "<get-packages-list><x/><filter/></get-packages-list>",
        "x",
        "<filter><package-id>4242</package-id></filter>",
        "Package does not exist",
        "rick",
    ),
    Case(
        "aps",
        "install",
        f"<domain-name>dave.example</domain-name>{WP}<location>blog</location>",
        f"<install>{WP}<domain-name>dave.example</domain-name></install>",
        "package-id",
        f"<domain-name>nowhere.example</domain-name>{WP}",
        "Domain does not exist",
        "rick",
    ),
    Case(
        "aps",
        "import-config",
        "<filename>/tmp/catalogs.xml</filename>",
        "<import-config><x/><filename>c.xml</filename></import-config>",
        "x",
        None,  # names no object
        "",
        "rick",
    ),
    Case(
        "aps",
        "set-package-properties",
        f"<filter>{WP}</filter><properties><visible>false</visible></properties>",
        "<set-package-properties><properties><visible>false</visible></properties><filter/>"
        "</set-package-properties>",
        "properties",
        "<filter><package-id>4242</package-id></filter><properties><visible>true</visible>"
        "</properties>",
        "Package does not exist",
        "rick",
    ),
    Case(
        "aps",
        "get-packages-list-by-reseller",
        "<filter><login>rick</login></filter>",
        "<get-packages-list-by-reseller><x/><filter/></get-packages-list-by-reseller>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
    ),
    Case(
        "aps",
        "get-packages-list-by-webspace",
        "<filter><name>carol.example</name></filter>",
        "<get-packages-list-by-webspace><x/><filter/></get-packages-list-by-webspace>",
        "x",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "rick",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)


def _one(xml: XmlClient, operation: str, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<aps><{operation}>{inner}</{operation}></aps>", key=key)
    (result,) = results(root, f"aps/{operation}")
    return result


def _names(result: etree._Element) -> list[str]:
    return [p.findtext("name") or "" for p in result.findall("package")]


def test_packages_answer_in_plesks_order_and_all_adds_the_catalogue(
    xml: XmlClient, scene: Scene
) -> None:
    listed = _one(xml, "get-packages-list", "<filter/>")
    (wp,) = listed.findall("package")
    assert [c.tag for c in wp] == [
        "name", "version", "release", "vendor", "packager", "is-uploaded", "is-visible", "id",
    ]  # fmt: skip
    assert wp.findtext("id") == scene.values["wp"] and wp.findtext("is-uploaded") == "false"
    everything = _one(xml, "get-packages-list", "<filter><all/></filter>")
    assert {"WordPress", "Joomla", "Drupal"} <= set(_names(everything))
    # catalogue entries not on the server carry no id
    ids = [p.findtext("id") for p in everything.findall("package")]
    assert ids[0] == scene.values["wp"] and ids[1:] and all(i is None for i in ids[1:])


def test_a_download_the_catalogue_cannot_serve_finishes_with_an_error(xml: XmlClient) -> None:
    task = _one(xml, "download-package", "<package><name>NoSuchApp</name></package>")
    status = _one(
        xml,
        "get-download-status",
        f"<filter><task-id>{task.findtext('task-id')}</task-id></filter>",
    )
    finished = status.find("finished")
    assert finished is not None and finished.findtext("package-id") is None
    assert "NoSuchApp" in (finished.findtext("error") or "")


def test_import_package_reads_the_file_name_and_shows_the_package(
    xml: XmlClient, scene: Scene
) -> None:
    made = _one(xml, "import-package", "<filename>/tmp/Open-Cart-4.0.2-3.app.zip</filename>")
    package_id = made.findtext("package-id")
    listed = _one(
        xml, "get-packages-list", f"<filter><package-id>{package_id}</package-id></filter>"
    )
    assert listed.findtext("package/name") == "Open-Cart"
    assert listed.findtext("package/version") == "4.0.2"
    assert listed.findtext("package/release") == "3"
    assert listed.findtext("package/is-uploaded") == "true"
    # the same file again is the same package
    again = _one(xml, "import-package", "<filename>Open-Cart-4.0.2-3.app.zip</filename>")
    assert again.findtext("package-id") == package_id
    assert error_of(_one(xml, "import-package", "<filename>notes.txt</filename>"))[0] == 1019


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_install_then_by_webspace_shows_the_installation(
    xml: XmlClient, scene: Scene, panel: Panel
) -> None:
    wp = scene.values["wp"]
    all_ok(
        xml.call(
            "<aps><install><domain-name>blog.carol.example</domain-name>"
            f"<package-id>{wp}</package-id><location>/wiki/</location><ssl>true</ssl>"
            "<database><name>wp1</name><login>wpuser</login><password>s3cret-pw</password>"
            "</database><settings><setting><name>admin_name</name><value>boss</value></setting>"
            "<setting><name>admin_password</name><value>s3cret-pw</value></setting></settings>"
            "</install></aps>"
        ),
        "aps/install",
    )
    answer = _one(
        xml, "get-packages-list-by-webspace", "<filter><name>carol.example</name></filter>"
    )
    (inst,) = answer.findall("installation")
    assert inst.findtext("package-id") == wp
    assert inst.findtext("site-id") == str(scene.world.carol_site)
    assert inst.findtext("location") == "/wiki" and inst.findtext("ssl") == "true"
    # the same place again: 1007; the passwords were never kept
    again = _one(
        xml,
        "install",
        f"<domain-name>blog.carol.example</domain-name><package-id>{wp}</package-id>"
        "<location>wiki</location>",
    )
    assert error_of(again)[0] == 1007
    (kept,) = panel.aps_installations.of_domains([scene.world.carol_site])
    assert kept.database == {"login": "wpuser", "name": "wp1"}
    assert kept.settings == {"admin_name": "boss"}
    assert "s3cret-pw" not in repr(panel.events.list())
    # the installation goes with its site
    all_ok(xml.call("<site><del><filter><name>blog.carol.example</name></filter></del></site>"),
       "site/del")  # fmt: skip
    answer = _one(
        xml, "get-packages-list-by-webspace", "<filter><name>carol.example</name></filter>"
    )
    assert answer.findall("installation") == []


def test_install_on_a_subdomain_and_unknown_targets(xml: XmlClient, scene: Scene) -> None:
    all_ok(
        xml.call(
            "<subdomain><add><parent>dave.example</parent><name>shop</name></add></subdomain>"
        ),
        "subdomain/add",
    )
    wp = f"<package-id>{scene.values['wp']}</package-id>"
    all_ok(xml.call(f"<aps><install><subdomain-name>shop.dave.example</subdomain-name>{wp}"
                "</install></aps>"), "aps/install")  # fmt: skip
    answer = _one(
        xml, "get-packages-list-by-webspace", "<filter><name>dave.example</name></filter>"
    )
    assert answer.findtext("installation/subdomain-id")
    missing = _one(xml, "install", f"<subdomain-name>none.dave.example</subdomain-name>{wp}")
    assert error_of(missing) == (1013, "Subdomain does not exist")
    no_package = _one(
        xml, "install", "<domain-id>1</domain-id><package><name>Drupal</name></package>"
    )
    assert error_of(no_package)[0] == 1013
    bad = _one(
        xml, "install", f"<domain-name>dave.example</domain-name>{wp}<location>../x</location>"
    )
    assert error_of(bad)[0] == 1019


def test_hidden_packages_are_offered_to_no_one(xml: XmlClient, scene: Scene) -> None:
    by_reseller = "<filter><login>rick</login></filter>"
    assert _names(_one(xml, "get-packages-list-by-reseller", by_reseller)) == ["WordPress"]
    all_ok(
        xml.call(
            "<aps><set-package-properties><filter/><properties><visible>false</visible>"
            "</properties></set-package-properties></aps>"
        ),
        "aps/set-package-properties",
    )
    assert _one(xml, "get-packages-list", "<filter/>").findtext("package/is-visible") == "false"
    assert _names(_one(xml, "get-packages-list-by-reseller", by_reseller)) == []
    by_webspace = "<filter><name>dave.example</name></filter>"
    assert _names(_one(xml, "get-packages-list-by-webspace", by_webspace)) == []


def test_import_config_is_kept(xml: XmlClient, panel: Panel) -> None:
    all_ok(xml.call("<aps><import-config><filename>/tmp/cat.xml</filename></import-config></aps>"),
       "aps/import-config")  # fmt: skip
    assert panel.aps_packages.config_file() == "/tmp/cat.xml"
