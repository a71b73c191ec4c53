"""The every-operation table: one row (`Case`) per operation the registry serves
(`panelkey.xmlapi.operators.OPERATORS`), each checked four ways by `run`: an element out
of Plesk's order (1014 naming it), an unknown object (1013 with Plesk's text), a caller
without the right, then the happy path.

Contract for an operator's test module, `test_<operator>.py` in this folder:

- it holds `CASES: list[Case]`, one row per operation of its operator(s);
  `test_every_operation.py` imports every test module here and fails when a served
  operation has no row, or a row names one the registry does not serve;
- it runs them with::

      @pytest.mark.parametrize("case", CASES, ids=str)
      def test_operation(scene: Scene, case: Case) -> None:
          run(scene, case)

- packets are the inner text of `<operator><operation>…</operation></operator>` and may
  name the scene's values as `{name}` (see `make_scene`), and `{made1}`, `{made2}`… (and
  `{made}`, the last) for the ids the row's `before` elements answered.

`set_traffic_case` makes the set_traffic row site and webspace share.
`app_filter_cases` makes the rows of the app-filter operations every plan-like operator
shares (add-package, remove-package, enable-aps-filter, disable-aps-filter).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests import factories
from tests.factories import World
from tests.functional.xml.xml_helpers import NEW, XmlClient, error_of, results, system_error


@dataclass(frozen=True)
class Case:
    operator: str
    operation: str
    good: str  # the happy path's packet (inner of the operation)
    misordered: str  # a packet (inner of the operator) with `late` out of place
    late: str
    unknown: str | None  # inner of the operation; None where it names no object
    missing: str  # Plesk's 1013 text for `unknown`
    # "rick", "carol" or "dave": sends `good` without the right and gets `denied` in
    # every result; None where Plesk lets every account call it (a customer is answered)
    caller: str | None
    denied: int = 1006
    # operator elements the admin sends first, one packet each, in order (objects the
    # row acts on); each may name the ids the earlier ones answered
    before: str = ""
    version: str | None = NEW  # the packets' protocol version (legacy operators: older)
    path: str = ""  # where the results are, when not under operator/operation
    missing_code: int = 1013  # Plesk's code for `unknown`, where it is not 1013
    misses: int = 1  # how many results `unknown` answers, each that error
    # Plesk answers no <result> (server/lic_get_info, domain-restriction-list): the happy
    # path is the operation's element, not empty, every status in it ok
    bare: bool = False

    @property
    def id(self) -> str:
        return f"{self.operator}/{self.operation}"

    def __str__(self) -> str:
        return self.id


USER_IP = base64.b64encode(b"203.0.113.5").decode()
BUTTON_PROPS = "<properties><url>https://billing.example/</url><text>Billing</text></properties>"
PACKAGE = "<package><name>name</name><value>WordPress</value></package>"
PLAN_ITEM = "<plan-item><name>Backup</name></plan-item>"
COUNTS = (
    "<smtp_in>1</smtp_in><smtp_out>2</smtp_out><pop3_imap_in>3</pop3_imap_in>"
    "<pop3_imap_out>4</pop3_imap_out><http_in>5</http_in>"
)


def license_file(number: str, version: str, product: str, expires: str) -> str:
    """A Plesk key file as its XML reads (the facts panelkey takes from it), base64."""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><plesk-unified:key '
        'xmlns:plesk-unified="http://parallels.com/schemas/keys/products/plesk/unified/multi" '
        'xmlns:core="http://parallels.com/schemas/keys/core/3">'
        f"<core:key-number>{number}</core:key-number><core:key-version>{version}"
        f"</core:key-version><core:product>{product}</core:product>"
        f'<core:expiration-date core:type="date">{expires}</core:expiration-date>'
        "<core:signature>SECRET-SIGNATURE-BODY</core:signature></plesk-unified:key>"
    )
    return base64.b64encode(text.encode()).decode()


MAIN = license_file("PLSK.00000001", "0001", "plesk-unix", "2031-01-31")
ADDON = license_file("KAV.00000007", "0001", "kav", "2030-06-30")
LICENSES = {
    "main": MAIN,
    "addon": ADDON,
    "main_id": "PLSK.00000001.0001",
    "addon_name": "KAV.00000007.0001/kav",
}


@dataclass
class Scene:
    xml: XmlClient
    panel: Panel
    world: World
    values: dict[str, str]

    def key(self, login: str) -> str:
        return {
            "rick": self.world.reseller.key,
            "carol": self.world.carol.key,
            "dave": self.world.dave.key,
        }[login]


def _all_ok(found: list[etree._Element]) -> list[etree._Element]:
    assert found
    for r in found:
        assert r.findtext("status") == "ok", etree.tostring(r)
    return found


def _ok(root: etree._Element, path: str | None = None) -> list[etree._Element]:
    """The results under `path` (every result of the answer when None), each ok."""
    return _all_ok(results(root, path) if path else list(root.iter("result")))


def make_scene(xml: XmlClient, world: World, panel: Panel, admin: Identity) -> Scene:
    """The world (reseller rick with customer carol: webspace carol.example with site
    blog.carol.example; the admin's customer dave: dave.example), and: the admin's
    service plan Basic, add-on Extra and reseller plan RP; 192.0.2.10 and 192.0.2.11 in
    the pool, .10 in rick's share; rick's add-on on carol.example; a custom button of the
    admin's; a session of dave's; reseller lone, with no customers; WordPress downloaded
    from the APS catalogue.

    Values: {basic} {extra} {rp} {rick_extra} (plan guids), {button}, {session}, {rick}
    {carol} {dave} (account ids), {carol_ws} {carol_site} {dave_ws} (domain ids), {wp}
    (WordPress's package id) and {task} (its download task), and two Plesk key files,
    not installed: {main} (id {main_id}) and the additional {addon} (name {addon_name})."""

    def call(inner: str, key: str | None = None) -> etree._Element:
        return xml.call(inner, key=key)

    basic = _ok(
        call("<service-plan><add><name>Basic</name></add></service-plan>"), "service-plan/add"
    )
    extra = _ok(
        call("<service-plan-addon><add><name>Extra</name></add></service-plan-addon>"),
        "service-plan-addon/add",
    )
    rp = _ok(call("<reseller-plan><add><name>RP</name></add></reseller-plan>"), "reseller-plan/add")
    # a reseller without customers, for convert-to-customer
    factories.reseller(panel, "lone", actor=admin)
    for address in ("192.0.2.10", "192.0.2.11"):
        panel.ips.add(admin, address=address, netmask="255.255.255.0")
    panel.ips.pool_put(admin, world.reseller.account, "192.0.2.10")
    # rick's add-on on carol's webspace, for remove-subscription
    rick_extra = _ok(
        call(
            "<service-plan-addon><add><name>Rick extra</name></add></service-plan-addon>",
            world.reseller.key,
        ),
        "service-plan-addon/add",
    )[0].findtext("guid")
    _ok(
        call(
            "<webspace><add-subscription><filter><name>carol.example</name></filter>"
            f"<plan-guid>{rick_extra}</plan-guid></add-subscription></webspace>"
        ),
        "webspace/add-subscription",
    )
    button = _ok(
        call(f"<ui><create-custombutton><owner><admin/></owner>{BUTTON_PROPS}"
             "</create-custombutton></ui>"),
        "ui/create-custombutton",
    )  # fmt: skip
    session = _ok(
        call(
            f"<server><create_session><login>dave</login><data><user_ip>{USER_IP}</user_ip>"
            "</data></create_session></server>"
        ),
        "server/create_session",
    )
    (task,) = _ok(
        call("<aps><download-package><package><name>WordPress</name></package>"
             "</download-package></aps>"),
        "aps/download-package",
    )  # fmt: skip
    (download,) = _ok(
        call(
            f"<aps><get-download-status><filter><task-id>{task.findtext('task-id')}</task-id>"
            "</filter></get-download-status></aps>"
        ),
        "aps/get-download-status",
    )
    values = {
        "basic": basic[0].findtext("guid") or "",
        "extra": extra[0].findtext("guid") or "",
        "rp": rp[0].findtext("guid") or "",
        "rick_extra": rick_extra or "",
        "button": button[0].findtext("id") or "",
        "session": session[0].findtext("id") or "",
        "rick": str(world.reseller.account.id),
        "carol": str(world.carol.account.id),
        "dave": str(world.dave.account.id),
        "carol_ws": str(world.carol_ws),
        "carol_site": str(world.carol_site),
        "dave_ws": str(world.dave_ws),
        "task": task.findtext("task-id") or "",
        "wp": download.findtext("finished/package-id") or "",
        **LICENSES,
    }
    assert values["wp"], etree.tostring(download)
    return Scene(xml, panel, world, values)


def _made(result: etree._Element) -> str:
    """The id a result answered (a secret key answers its value instead)."""
    return result.findtext(".//id") or result.findtext("key") or ""


def _prepare(scene: Scene, case: Case) -> dict[str, str]:
    """Send the row's `before` elements, one packet each; the scene's values with the
    ids they answered."""
    values = dict(scene.values)
    if not case.before:
        return values
    for n, element in enumerate(etree.fromstring(f"<before>{case.before}</before>"), 1):
        text = etree.tostring(element, encoding="unicode", with_tail=False)
        made = _ok(scene.xml.call(text.format(**values)))
        values[f"made{n}"] = values["made"] = _made(made[-1])
    return values


def run(scene: Scene, case: Case) -> None:
    """Refusals first, each writing nothing; then the happy path."""
    values = _prepare(scene, case)
    path = case.path or case.id
    xml, events = scene.xml, scene.panel.events

    def answer(inner: str, key: str | None = None) -> etree._Element:
        body = f"<{case.operator}><{case.operation}>{inner}</{case.operation}></{case.operator}>"
        return xml.call(body.format(**values), key=key, version=case.version)

    def send(inner: str, key: str | None = None) -> list[etree._Element]:
        return results(answer(inner, key), path)

    before = len(events.list())
    # element out of order: 1014 naming it
    misordered = f"<{case.operator}>{case.misordered}</{case.operator}>".format(**values)
    code, text = system_error(xml.call(misordered, version=case.version))
    assert code == 1014, text
    assert f"'{case.late}'" in text and "Error in line" in text, text
    # an unknown object: 1013 with Plesk's text
    if case.unknown is not None:
        found = send(case.unknown)
        assert len(found) == case.misses, [etree.tostring(r) for r in found]
        for result in found:
            got = error_of(result)
            assert got == (case.missing_code, case.missing), got
    # a caller without rights
    if case.caller is not None:
        found = send(case.good, key=scene.key(case.caller))
        assert found
        for result in found:
            assert error_of(result)[0] == case.denied, etree.tostring(result)
    assert len(events.list()) == before
    if case.caller is None:
        # Open to every account: a customer is answered.
        _all_ok(send(case.good, key=scene.key("carol")))
    # the happy path
    if case.bare:
        root = answer(case.good)
        found = root.find(path)
        assert found is not None and len(found), etree.tostring(root)
        for status in found.iter("status"):
            assert status.text == "ok", etree.tostring(root)
    else:
        _all_ok(send(case.good))


def app_filter_cases(
    operator: str,
    flt: str,
    nothing: str,
    missing: str,
    caller: str,
    operations: tuple[str, ...] = (
        "add-package",
        "remove-package",
        "enable-aps-filter",
        "disable-aps-filter",
    ),
) -> list[Case]:
    """The rows of a plan-like operator's app filter: the object is named by `flt` (a
    filter), the unknown one by `nothing`; remove-package first adds what it removes."""
    out = []
    for op in operations:
        items = PACKAGE if op.endswith("-package") else ""
        before = (
            f"<{operator}><add-package>{flt}{PACKAGE}</add-package></{operator}>"
            if op == "remove-package"
            else ""
        )
        out.append(
            Case(
                operator,
                op,
                f"{flt}{items}",
                f"<{op}><x/>{flt}{items}</{op}>",
                "x",
                f"{nothing}{items}",
                missing,
                caller,
                before=before,
            )
        )
    return out


def set_traffic_case(operator: str, dom: str) -> Case:
    """site's or webspace's set_traffic row, on the domain the scene value `dom` names."""
    missing = "Site does not exist" if operator == "site" else "Webspace does not exist"
    return Case(
        operator, "set_traffic", f"<dom_id>{{{dom}}}</dom_id><date>2026-11-30</date>{COUNTS}",
        f"<set_traffic><date>2026-11-30</date><dom_id>{{{dom}}}</dom_id>{COUNTS}</set_traffic>",
        "date", f"<dom_id>4242</dom_id><date>2026-11-30</date>{COUNTS}", missing, "carol",
    )  # fmt: skip
