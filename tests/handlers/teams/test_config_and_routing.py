"""Teams settings from the environment, personal-chat addresses, and the poller's per-platform senders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.teams.app import TeamsConfig
from jobs import addresses
from jobs.addresses import Address


def test_credentials_and_anonymous_mode_come_from_the_environment():
    config = TeamsConfig.from_env({"CLIENT_ID": "id", "CLIENT_SECRET": "secret", "TENANT_ID": "t"})
    assert (config.client_id, config.client_secret, config.tenant_id, config.allow_anonymous) == ("id", "secret", "t", False)
    assert config.problem() is None
    assert "CLIENT_ID" in TeamsConfig.from_env({}).problem()
    assert TeamsConfig.from_env({"ROLEBOT_TEAMS_ALLOW_ANONYMOUS": "true"}).problem() is None
    # Only an explicit "true" turns validation off; anything unclear is refused, not guessed.
    assert TeamsConfig.from_env({"ROLEBOT_TEAMS_ALLOW_ANONYMOUS": "false"}).allow_anonymous is False
    with pytest.raises(ValueError, match="true or false"):
        TeamsConfig.from_env({"ROLEBOT_TEAMS_ALLOW_ANONYMOUS": "yes please"})


def test_the_first_contact_is_reported_once_and_details_are_kept(store):
    now = datetime(2026, 3, 2, tzinfo=UTC)
    first = Address("teams", "29:a", "a:1", "https://smba.example/emea/", "t1", "Ann", "Europe/Berlin")
    assert addresses.save(store, first, now) is True
    assert addresses.save(store, first, now) is False
    # A later activity without name or zone keeps what we knew; a new conversation is a first contact again.
    assert addresses.save(store, Address("teams", "29:a", "a:1", "https://smba.example/emea/"), now) is False
    assert addresses.get(store, "teams", "29:a") == first
    assert addresses.save(store, Address("teams", "29:a", "a:2", "https://smba.example/emea/"), now) is True
    assert addresses.display_name(store, "teams", "29:a") == "Ann"
    addresses.forget(store, "teams", "29:a")
    assert addresses.get(store, "teams", "29:a") is None
    assert addresses.display_name(store, "teams", "29:a") == "a colleague"
