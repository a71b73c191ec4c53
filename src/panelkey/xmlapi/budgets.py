"""The budgets of one packet, checked before anything in it runs, so that a packet over
one answers a single packet-level error and writes nothing:

    operations  at most `operations` operations        -> LimitReached (1024)
                and filter items: an operation counts as the objects its filter
                names, at least one (a 20,000-item filter is 20,000 lookups)
    lengths     each element's text within its length  -> InvalidValue (1019)
    passwords   at most `passwords` passwords to hash  -> LimitReached (1024)

The answer's budget (`answer` bytes) is kept while the packet runs (dispatch.run): an
operation past it does not run and answers 1024, one that only read answers 1024 in
place of what it read. The numbers come from panel.ini (docs/configuration.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from lxml import etree

from panelkey.config import Settings
from panelkey.core.access.secret_names import password_name
from panelkey.core.errors import InvalidValue, LimitReached

# Lengths Plesk's schemas and reference give (plesk_client.xsd gen_info and the like);
# an element not named here may hold up to `field_length` characters.
FIELD_LENGTHS: dict[str, int] = {
    "cname": 60,
    "pname": 60,
    "login": 60,
    "phone": 30,
    "fax": 30,
    "email": 255,
    "address": 255,
    "city": 255,
    "state": 255,
    "pcode": 10,
    "country": 2,
    "external-id": 255,
    # Plesk documents no length for a description: panelkey's own, so that one stored
    # description cannot make every answer that shows it huge.
    "description": 1024,
}


@dataclass(frozen=True, slots=True)
class Budget:
    operations: int = 1000
    passwords: int = 10
    field_length: int = 65536
    answer: int = 16 * 1024 * 1024

    @classmethod
    def of(cls, settings: Settings) -> Budget:
        return cls(
            operations=settings.max_operations,
            passwords=settings.max_password_hashes,
            field_length=settings.max_field_length,
            answer=settings.max_answer,
        )


class Tally:
    """One packet's budgets, checked on the walk that plans it (dispatch.plan), so that
    lxml makes each element's proxy once: made, it has counted the operations (and
    raised past them); the walk then hands it, in document order, every element that
    has text or is a filter (`element`) and every operation with children (`below`);
    `finish` checks what is counted over the whole packet. The first element past its
    length raises at once, as a walk of the whole tree would."""

    __slots__ = ("budget", "children", "operations", "passwords", "work")

    def __init__(self, packet: etree._Element, budget: Budget) -> None:
        self.budget = budget
        # The packet's children, held for the walk (their proxies made once).
        self.children = children = list(packet)
        operations = 0
        for operator in children:
            operations += len(operator)  # children counted in C
        if operations > budget.operations:
            # Comments and processing instructions are no operations: count exactly, in C.
            operations = int(cast(float, packet.xpath("count(*/*)")))
        if operations > budget.operations:
            raise LimitReached(
                f"Limit reached: the packet holds {operations} operations; this server runs "
                f"at most {budget.operations} in one packet ([panelkey] maxOperationsPerPacket)"
            )
        self.operations = operations
        # A filter naming N objects is N lookups, as N operations would be (select.py): an
        # operation counts as the items of its filter, at least one.
        self.work = operations
        self.passwords = 0
        text = packet.text
        if text:
            self.element(packet, "packet", text)

    def element(self, node: etree._Element, tag: str, text: str | None) -> None:
        """An element with text, or a filter: its length checked (InvalidValue past it), a
        password it sets counted, a filter's items counted."""
        if tag == "filter":
            self.work += max(len(node) - 1, 0)
        if not text:
            return
        limit = FIELD_LENGTHS.get(tag, self.budget.field_length)
        if len(text) > limit and (len(node) == 0 or text.strip()):
            raise InvalidValue(
                f"Invalid value in line {cast('int | None', node.sourceline)}: element "
                f"'{tag}' holds {len(text)} characters; at most {limit} are allowed"
            )
        if password_name(tag) or (
            tag == "name" and "pass" in text.lower() and _parent_tag(node) == "property"
        ):
            self.passwords += 1

    def below(self, operation: etree._Element) -> None:
        """`element` for every element under an operation, in document order."""
        for node in operation.iterdescendants("*"):
            tag = node.tag
            text = node.text
            if text or tag == "filter":
                self.element(node, tag, text)

    def finish(self, packet: etree._Element) -> int:
        """LimitReached past the filters' items or the passwords; else the number of
        passwords the packet sets."""
        budget = self.budget
        if self.work > budget.operations:
            _check_filters(packet, self.operations, budget)
        if self.passwords > budget.passwords:
            raise LimitReached(
                f"Limit reached: the packet sets {self.passwords} passwords; this server "
                f"hashes at most {budget.passwords} in one packet ([panelkey] "
                "maxPasswordsPerPacket)"
            )
        return self.passwords


def _check_filters(packet: etree._Element, operations: int, budget: Budget) -> None:
    """Called when the filters' children may pass the budget (comments counted): the
    exact count, in C, and LimitReached past it."""
    items = int(cast(float, packet.xpath("count(*/*/filter/*)")))
    filtered = int(cast(float, packet.xpath("count(*/*[filter/*])")))
    if operations - filtered + items > budget.operations:
        raise LimitReached(
            f"Limit reached: the packet's filters name {items} objects; this server looks "
            f"up at most {budget.operations} in one packet, one per operation or filter "
            "item ([panelkey] maxOperationsPerPacket). Ask for fewer in one packet, or "
            "use an empty filter for everything"
        )


def filter_items_past(limit: int, read: int, at: int, size: int) -> LimitReached:
    """The refusal of filters found, while the packet is parsed (parsing.py), to name
    more objects than `limit`: `read` of them in its first `at` of `size` bytes (the rest
    is not read, not even to count them: that would cost more than the refusal)."""
    return LimitReached(
        f"Limit reached: the packet's filters name more than {limit} objects ({read} in "
        f"its first {at} of {size} bytes); this server looks up at most {limit} in one "
        "packet, one per operation or filter item ([panelkey] maxOperationsPerPacket). "
        "Ask for fewer in one packet, or use an empty filter for everything"
    )


def _parent_tag(node: etree._Element) -> str:
    parent = node.getparent()
    return "" if parent is None else str(parent.tag)


def answer_limit_error(limit: int) -> LimitReached:
    return LimitReached(
        f"Limit reached: the answer would pass {limit} bytes ([panelkey] maxAnswerSize); "
        "this operation did not run. Ask for fewer objects in one packet"
    )
