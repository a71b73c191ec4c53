"""Verification and the store, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest

from panelkey.core.errors import InvalidValue, NotFound, OwnerNotFound
from panelkey.core.identity import Reason, Refused, Verified
from panelkey.core.panel import Panel


def admin(panel: Panel):  # type: ignore[no-untyped-def]
    account = panel.accounts.admin()
    assert account is not None
    return account.identity()


def test_right_key_from_allowed_address_yields_the_owner(panel: Panel) -> None:
    value, info = panel.keys.create(admin(panel), addresses="192.0.2.7", face="cli")
    verdict = panel.auth.verify_key(value, "192.0.2.7", "xml")
    assert isinstance(verdict, Verified)
    assert verdict.identity.login == "admin" and verdict.key_id == info.id


def test_key_from_other_address_is_refused(panel: Panel) -> None:
    value, info = panel.keys.create(admin(panel), addresses="192.0.2.7,10.0.0.0/8", face="cli")
    assert isinstance(panel.auth.verify_key(value, "10.9.9.9", "xml"), Verified)
    verdict = panel.auth.verify_key(value, "192.0.2.8", "xml")
    assert verdict == Refused(Reason.ADDRESS_NOT_ALLOWED, info.id)


def test_unknown_key_is_refused(panel: Panel) -> None:
    verdict = panel.auth.verify_key("778a476a-cf1c-7434-ea47-9f229d70e934", "127.0.0.1", "rest")
    assert verdict == Refused(Reason.UNKNOWN_KEY)


def test_key_of_disabled_owner_is_refused_and_enabling_restores_it(panel: Panel) -> None:
    actor = admin(panel)
    customer = panel.accounts.create(actor, type="customer", login="jdoe", password="pw")
    value, _ = panel.keys.create(actor, addresses=None, login="jdoe", face="cli")
    assert isinstance(panel.auth.verify_key(value, "127.0.0.1", "xml"), Verified)
    panel.accounts.update(actor, customer, {"status": 16})
    verdict = panel.auth.verify_key(value, "127.0.0.1", "xml")
    assert isinstance(verdict, Refused) and verdict.reason is Reason.OWNER_DISABLED
    panel.accounts.update(actor, customer, {"status": 0})
    assert isinstance(panel.auth.verify_key(value, "127.0.0.1", "xml"), Verified)


def test_refusals_reach_the_audit_log_with_their_reason_and_no_value(panel: Panel) -> None:
    value, _ = panel.keys.create(admin(panel), addresses="192.0.2.7", face="cli")
    panel.auth.verify_key(value, "192.0.2.99", "rest")
    panel.auth.verify_key("00000000-0000-0000-0000-000000000000", "192.0.2.98", "xml")
    failures = panel.audit.entries(failures_only=True)
    assert [(e.reason, e.source_ip, e.face) for e in failures] == [
        ("address not allowed", "192.0.2.99", "rest"),
        ("unknown key", "192.0.2.98", "xml"),
    ]
    assert all(value not in f"{e}" for e in panel.audit.entries())


def test_deleted_key_is_refused_at_once(panel: Panel) -> None:
    value, info = panel.keys.create(admin(panel), addresses=None, face="cli")
    assert isinstance(panel.auth.verify_key(value, "127.0.0.1", "xml"), Verified)
    panel.keys.delete(admin(panel), str(info.id), face="cli")
    assert panel.auth.verify_key(value, "127.0.0.1", "xml") == Refused(Reason.UNKNOWN_KEY)


def test_delete_by_value_and_by_id(panel: Panel) -> None:
    a, info_a = panel.keys.create(admin(panel), addresses=None, face="cli")
    _, info_b = panel.keys.create(admin(panel), addresses=None, face="cli")
    assert panel.keys.delete(admin(panel), a, face="cli").id == info_a.id
    assert panel.keys.delete(admin(panel), str(info_b.id), face="cli").id == info_b.id
    with pytest.raises(NotFound):
        panel.keys.delete(admin(panel), str(info_b.id), face="cli")
    assert panel.keys.list() == []


def test_ids_increase_and_are_never_reused(panel: Panel) -> None:
    ids = [panel.keys.create(admin(panel), addresses=None, face="cli")[1].id for _ in range(3)]
    assert ids == [1, 2, 3]
    panel.keys.delete(admin(panel), "3", face="cli")
    assert panel.keys.create(admin(panel), addresses=None, face="cli")[1].id == 4


def test_bad_input_creates_nothing(panel: Panel) -> None:
    with pytest.raises(InvalidValue):
        panel.keys.create(admin(panel), addresses="1.2.3.4, 999.1.1.1", face="cli")
    with pytest.raises(OwnerNotFound):
        panel.keys.create(admin(panel), addresses=None, login="nobody", face="cli")
    assert panel.keys.list() == []
    assert panel.audit.entries() == []


def test_deleting_an_account_deletes_its_keys(panel: Panel) -> None:
    actor = admin(panel)
    customer = panel.accounts.create(actor, type="customer", login="gone", password="pw")
    value, _ = panel.keys.create(actor, addresses=None, login="gone", face="cli")
    panel.accounts.delete(actor, customer)
    assert panel.keys.list() == []
    assert panel.auth.verify_key(value, "127.0.0.1", "xml") == Refused(Reason.UNKNOWN_KEY)


def test_password_verification_and_its_cache_forgets_a_new_password(panel: Panel) -> None:
    actor = admin(panel)
    customer = panel.accounts.create(actor, type="customer", login="pat", password="old")
    assert isinstance(panel.auth.check_password("PAT", "old"), Verified)
    assert panel.auth.check_password("pat", "bad") == Refused(Reason.WRONG_PASSWORD)
    assert panel.auth.check_password("nobody", "x") == Refused(Reason.UNKNOWN_LOGIN)
    panel.accounts.update(actor, customer, {"password": "new"})
    assert panel.auth.check_password("pat", "old") == Refused(Reason.WRONG_PASSWORD)
    assert isinstance(panel.auth.check_password("pat", "new"), Verified)


def test_last_use_is_recorded(panel: Panel) -> None:
    value, info = panel.keys.create(admin(panel), addresses=None, face="cli")
    panel.auth.verify_key(value, "192.0.2.5", "xml")
    panel.auth.flush_usage()
    used = panel.keys.find(str(info.id))
    assert used is not None and used.last_used_ip == "192.0.2.5" and used.last_used


def test_migrations_run_twice_are_a_no_op(database_url: str) -> None:
    first = Panel.open(database_url)
    first.bootstrap()
    second = Panel.open(database_url)
    assert second.accounts.admin() is not None
    first.close()
    second.close()


def test_a_key_write_keeps_the_verified_passwords_an_account_write_drops_them(
    panel: Panel,
) -> None:
    actor = admin(panel)
    customer = panel.accounts.create(actor, type="customer", login="pat", password="pw-pat")
    assert isinstance(panel.auth.check_password("pat", "pw-pat"), Verified)
    # a key made (or deleted) changes no password: the next check needs no full hash
    _, info = panel.keys.create(actor, addresses=None, login="pat", face="cli")
    panel.keys.delete(actor, str(info.id), face="cli")
    assert isinstance(panel.auth.check_password_cached("pat", "pw-pat"), Verified)
    # while any account write forgets them
    panel.accounts.update(actor, customer, {"password": "pw-pat-new"})
    assert panel.auth.check_password_cached("pat", "pw-pat") is None


def test_another_process_s_key_write_keeps_the_verified_passwords_its_account_write_not(
    database_url: str,
) -> None:
    import time

    served = Panel.open(database_url)
    served.bootstrap()
    served.watch()
    other = Panel.open(database_url)
    try:
        actor = admin(other)
        customer = other.accounts.create(actor, type="customer", login="pat", password="pw-pat")

        def settled(expect_cached: bool) -> bool:
            # the change feed: a millisecond's poll on SQLite, a NOTIFY on PostgreSQL
            for _ in range(100):
                served.auth.check_key_cached("no such key", "127.0.0.1")  # polls the feed
                if (served.auth.check_password_cached("pat", "pw-pat") is not None) == (
                    expect_cached
                ):
                    return True
                time.sleep(0.02)
            return False

        def verified_and_kept() -> bool:
            # The account's creation reaches the served store first: on PostgreSQL a
            # NOTIFY that may land after a check, however long waited for under load, and
            # rightly forget what it verified. Verified again until it stays remembered.
            for _ in range(50):
                served.auth.check_key_cached("no such key", "127.0.0.1")
                assert isinstance(served.auth.check_password("pat", "pw-pat"), Verified)
                time.sleep(0.2)
                served.auth.check_key_cached("no such key", "127.0.0.1")
                if served.auth.check_password_cached("pat", "pw-pat") is not None:
                    return True
            return False

        assert verified_and_kept()
        other.keys.create(actor, addresses=None, login="pat", face="cli")
        time.sleep(0.2)
        assert settled(expect_cached=True)
        other.accounts.update(actor, customer, {"password": "pw-pat-new"})
        assert settled(expect_cached=False)
    finally:
        other.close()
        served.close()


def test_another_schema_s_account_write_keeps_this_store_s_verified_passwords(
    pg_url: str, migrated_templates: object
) -> None:
    """PostgreSQL's NOTIFY channel is the database's: a panel on another schema of the
    same database changes nothing this store verified; its own account write does."""
    import time

    from tests.conftest import pg_schema

    served = Panel.open(pg_url)
    served.bootstrap()
    served.watch()
    with pg_schema(migrated_templates) as elsewhere_url:  # type: ignore[arg-type]
        elsewhere = Panel.open(elsewhere_url)
        elsewhere.bootstrap()
        writer = Panel.open(pg_url)
        try:
            actor = admin(writer)
            pat = writer.accounts.create(actor, type="customer", login="pat", password="pw-pat")
            time.sleep(0.3)  # the creation's NOTIFY reaches the served store first
            served.auth.check_key_cached("no such key", "127.0.0.1")  # polls the feed
            assert isinstance(served.auth.check_password("pat", "pw-pat"), Verified)
            other = admin(elsewhere)
            theirs = elsewhere.accounts.create(other, type="customer", login="pat", password="x")
            elsewhere.accounts.update(other, theirs, {"password": "y"})
            time.sleep(0.3)
            served.auth.check_key_cached("no such key", "127.0.0.1")
            assert isinstance(served.auth.check_password_cached("pat", "pw-pat"), Verified)
            writer.accounts.update(actor, pat, {"password": "pw-pat-new"})
            for _ in range(100):  # the served store's own schema: forgotten
                served.auth.check_key_cached("no such key", "127.0.0.1")
                if served.auth.check_password_cached("pat", "pw-pat") is None:
                    break
                time.sleep(0.02)
            assert served.auth.check_password_cached("pat", "pw-pat") is None
        finally:
            writer.close()
            elsewhere.close()
            served.close()
