"""Settings blocks on the wire: reading them from requests, writing them in answers.

Which names exist, their types and defaults are the core's (core/plans/settings.py); this
module only knows each block's XML shape: ``limits`` (``overuse``, ``all-to-zero``
then ``limit`` name/value pairs), ``permissions`` (``revoke-all``, ``permission``
pairs), ``hosting`` (``property`` pairs, or inside ``vrt_hst``), ``php-settings`` and
``web-server-settings`` (``setting`` pairs), ``ip-pool`` (``ip-address`` elements,
``allocate-ip``), element-per-setting blocks (``prefs``, ``preferences``,
``performance``), ``mail`` and ``log-rotation``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from panelkey.core.plans.settings import BLOCKS
from panelkey.xmlapi import render

Pairs = list[tuple[str, str]]


def pairs(parent: etree._Element | None, item: str = "property") -> Pairs:
    """The name/value pairs `item` under `parent`, in document order (names stripped)."""
    if parent is None:
        return []
    return [
        ((e.findtext("name") or "").strip(), e.findtext("value") or "")
        for e in parent.findall(item)
    ]


def read(element: etree._Element, block: str) -> Pairs:
    """The (name, value) pairs a request's block element holds, in document order."""
    if block in ("limits", "reseller-limits"):
        head: Pairs = []
        policy = element.find("resource-policy")
        for holder in (element, policy) if policy is not None else (element,):
            for tag in ("oversell", "overuse"):
                text = render.text_of(holder, tag)
                if text is not None:
                    head.append((tag, text))
        # all-to-zero first, so that limits named beside it keep their given value
        if element.find("all-to-zero") is not None:
            head += BLOCKS[block].zeroed()
        return head + pairs(element, "limit")
    if block in ("permissions", "reseller-permissions"):
        revoked = BLOCKS[block].revoked() if element.find("revoke-all") is not None else []
        return revoked + pairs(element, "permission")
    if block == "hosting":
        # a plan's set takes the properties inside vrt_hst, as webspace does
        vrt = element.find("vrt_hst")
        return pairs(vrt if vrt is not None else element, "property")
    if block in ("php-settings", "web-server-settings"):
        return pairs(element, "setting")
    if block == "ip-pool":
        # the addresses given replace the pool's; allocate-ip alone keeps them
        addresses = [(e.text or "").strip() for e in element.findall("ip-address")]
        allocate = render.text_of(element, "allocate-ip")
        pool: Pairs = []
        if addresses or allocate is None:
            pool.append(("ip-address", " ".join(addresses)))
        return pool + ([("allocate-ip", allocate)] if allocate is not None else [])
    if block == "mail":
        return _read_mail(element)
    if block == "log-rotation":
        return _read_log_rotation(element)
    return [(str(c.tag), c.text or "") for c in render.children(element)]


def _read_mail(element: etree._Element) -> Pairs:
    out: Pairs = []
    nonexistent = element.find("nonexistent-user")
    if nonexistent is not None:
        (choice,) = render.children(nonexistent)
        out.append(("nonexistent-user", str(choice.tag)))
        out.append(("nonexistent-user-target", choice.text or ""))
    for child in render.children(element):
        if child.tag != "nonexistent-user":
            out.append((str(child.tag), child.text or ""))
    return out


def _read_log_rotation(element: etree._Element) -> Pairs:
    on = element.find("on")
    if on is None:
        return [("enabled", "false")]
    out: Pairs = [("enabled", "true")]
    condition = on.find("log-condition")
    for child in render.children(condition) if condition is not None else []:
        out.append((str(child.tag), child.text or ""))
        if child.tag == "log-bytime":
            out.append(("log-bysize", "0"))
    for child in render.children(on):
        if child.tag != "log-condition":
            out.append((str(child.tag), child.text or ""))
    return out


def read_all(parent: etree._Element, tags: Mapping[str, str]) -> dict[str, Pairs]:
    """{core block: pairs} for each XML element of `tags` (element -> block) present."""
    out: dict[str, Pairs] = {}
    for tag, block in tags.items():
        element = parent.find(tag)
        if element is not None:
            out[block] = read(element, block)
    return out


# -- answers -----------------------------------------------------------------------


def _pair(item: str, name: str, value: str) -> etree._Element:
    return render.element(item, [("name", name), ("value", value)])


def render_block(tag: str, block: str, values: Mapping[str, str]) -> etree._Element:
    """The answer's element `tag` for the effective `values` of core `block`."""
    if block in ("limits", "reseller-limits"):
        policy = [(n, values[n]) for n in ("oversell", "overuse") if n in values]
        limits = [
            ("limit", _pair("limit", n, v)) for n, v in values.items() if n not in dict(policy)
        ]
        if block == "reseller-limits":
            head: list[render.Field] = [
                ("resource-policy", render.element("resource-policy", policy))
            ]
        else:
            head = list(policy)
        return render.element(tag, [*head, *limits])
    item = {
        "permissions": "permission",
        "reseller-permissions": "permission",
        "hosting": "property",
        "php-settings": "setting",
        "web-server-settings": "setting",
    }.get(block)
    if item is not None:
        return render.element(tag, [(item, _pair(item, n, v)) for n, v in values.items()])
    if block == "mail":
        return _render_mail(tag, values)
    if block == "log-rotation":
        return _render_log_rotation(tag, values)
    if block == "ip-pool":
        shared = [("ip-address", a) for a in values.get("ip-address", "").split()]
        return render.element(tag, [*shared, ("allocate-ip", values.get("allocate-ip", "0"))])
    return render.element(tag, list(values.items()))


def _render_mail(tag: str, values: Mapping[str, str]) -> etree._Element:
    kind = values.get("nonexistent-user", "reject")
    target = values.get("nonexistent-user-target", "")
    choice = render.element(kind)
    if kind != "reject":
        choice.text = target or None
    rest = [(n, v) for n, v in values.items() if not n.startswith("nonexistent-user")]
    return render.element(
        tag, [("nonexistent-user", render.element("nonexistent-user", [(kind, choice)])), *rest]
    )


def _render_log_rotation(tag: str, values: Mapping[str, str]) -> etree._Element:
    if values.get("enabled") != "true":
        return render.element(tag, [("off", "")])
    size = values.get("log-bysize", "0")
    condition = (
        [("log-bysize", size)]
        if size not in ("", "0")
        else [("log-bytime", values.get("log-bytime", "daily"))]
    )
    on = render.element(
        "on",
        [
            ("log-condition", render.element("log-condition", condition)),
            ("log-max-num-files", values.get("log-max-num-files")),
            ("log-compress", values.get("log-compress")),
            ("log-email", values.get("log-email") or None),
        ],
    )
    return render.element(tag, [("on", on)])


def descriptor(block: str, names: Iterable[str] | None = None) -> etree._Element:
    """Plesk's ``descriptor``: one ``property`` per setting of `block`, from its table."""
    table = BLOCKS[block]
    wanted = set(names) if names is not None else None
    props: list[render.Field] = []
    for s in table.settings:
        if wanted is not None and s.name not in wanted:
            continue
        fields: list[render.Field] = [("name", s.name)]
        if s.type == "enum":
            fields.append(("type", "string"))
            fields += [("enum", render.element("enum", [("value", c)])) for c in s.choices]
        else:
            fields.append(("type", s.type))
        fields += [("default-value", s.default), ("writable-by", "admin"), ("label", s.help)]
        props.append(("property", render.element("property", fields)))
    return render.element("descriptor", props)
