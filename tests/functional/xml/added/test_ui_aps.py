"""ui: branding-theme-install and branding-theme-uninstall, a theme kept per vendor."""

from __future__ import annotations

from panelkey.core.panel import Panel
from tests.functional.xml.aps_rows import Case, Scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results

THEME = "<filter><vendor-login>admin</vendor-login></filter><path>/tmp/theme.zip</path>"
CASES = [
    Case(
        "ui",
        "branding-theme-install",
        THEME,
        "<branding-theme-install><path>/tmp/t.zip</path><filter><vendor-login>admin"
        "</vendor-login></filter></branding-theme-install>",
        "path",
        "<filter><vendor-login>ghost</vendor-login></filter><path>/tmp/t.zip</path>",
        "Owner does not exist",
        "carol",
    ),
    Case(
        "ui",
        "branding-theme-uninstall",
        "<filter><vendor-login>admin</vendor-login></filter>",
        "<branding-theme-uninstall><x/><filter><vendor-login>admin</vendor-login></filter>"
        "</branding-theme-uninstall>",
        "x",
        "<filter><vendor-login>ghost</vendor-login></filter>",
        "Owner does not exist",
        "carol",
        before=f"<ui><branding-theme-install>{THEME}</branding-theme-install></ui>",
    ),
]


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)


def test_a_theme_is_kept_per_vendor_until_uninstalled(
    xml: XmlClient, scene: Scene, panel: Panel
) -> None:
    def one(op: str, inner: str, key: str | None = None) -> tuple[str | None, int]:
        root = xml.call(f"<ui><{op}>{inner}</{op}></ui>", key=key)
        (result,) = results(root, f"ui/{op}")
        if result.findtext("status") == "ok":
            return result.findtext("filter-id"), 0
        return None, error_of(result)[0]

    rick = "<filter><vendor-login>rick</vendor-login></filter>"
    # nothing installed yet: 1013
    assert one("branding-theme-uninstall", rick) == (None, 1013)
    # a reseller installs its own theme, not another vendor's
    assert one("branding-theme-install", f"{rick}<path>/tmp/r.zip</path>", scene.key("rick")) == (
        "rick",
        0,
    )
    assert panel.branding.theme(scene.world.reseller.account) == "/tmp/r.zip"
    admin = "<filter><vendor-login>admin</vendor-login></filter><path>/tmp/a.zip</path>"
    assert one("branding-theme-install", admin, scene.key("rick"))[1] == 1013
    # a customer is no vendor
    carol = "<filter><vendor-login>carol</vendor-login></filter><path>/tmp/c.zip</path>"
    assert one("branding-theme-install", carol)[1] == 1013
    assert one("branding-theme-uninstall", rick) == ("rick", 0)
    assert panel.branding.theme(scene.world.reseller.account) is None
    assert one("branding-theme-uninstall", rick)[1] == 1013
