"""Hash profiles: what one makes, the other verifies; the setting is cast strictly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import extract_parameters

from panelkey.config import load_settings
from panelkey.core.access import passwords
from tests.conftest import HASH_PROFILE


@pytest.fixture
def restore_profile() -> Iterator[None]:
    yield
    passwords.use_profile(HASH_PROFILE)


def test_hashes_of_either_profile_verify_under_the_other(restore_profile: None) -> None:
    passwords.use_profile("default")
    strong = passwords.hash_password("s3cret")
    assert extract_parameters(strong).memory_cost == 65536
    passwords.use_profile("cheapest")
    cheap = passwords.hash_password("s3cret")
    assert extract_parameters(cheap).memory_cost < 65536
    assert passwords.check_password(strong, "s3cret")
    assert not passwords.check_password(strong, "other")
    passwords.use_profile("default")
    assert passwords.check_password(cheap, "s3cret")
    assert not passwords.check_nothing("s3cret")


def test_the_profile_setting_takes_only_known_names(tmp_path: object) -> None:
    env = {"PANELKEY_PASSWORD_HASH_PROFILE": "Cheapest"}
    assert load_settings({"data_dir": str(tmp_path)}, environ=env).password_hash_profile == (
        "cheapest"
    )
    assert load_settings({"data_dir": str(tmp_path)}, environ={}).password_hash_profile == (
        "default"
    )
    with pytest.raises(Exception, match="password_hash_profile|PANELKEY_PASSWORD_HASH_PROFILE"):
        load_settings(
            {"data_dir": str(tmp_path)}, environ={"PANELKEY_PASSWORD_HASH_PROFILE": "md5"}
        )
