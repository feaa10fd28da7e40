import pytest

from core.config import load_settings
from core.errors import ConfigError


def test_defaults_need_no_environment():
    settings = load_settings(env={})
    assert settings.onboarding.send_time == "09:00"
    assert settings.slack_bot_token is None


def test_missing_secret_is_named():
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings(env={}).require("slack_signing_secret")


def test_wrong_token_prefix_is_named():
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN must start with 'xoxb-'"):
        load_settings(env={"SLACK_BOT_TOKEN": "xapp-1"}).require("slack_bot_token")


def test_corrupt_yaml_names_the_line(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("admins:\n  - U1\nonboarding: [unclosed\n")
    with pytest.raises(ConfigError, match=r"line \d+"):
        load_settings(env={"ROLEBOT_CONFIG": str(path)})


def test_bad_timezone_in_yaml(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("onboarding:\n  fallback_timezone: Mars/Olympus\n")
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        load_settings(env={"ROLEBOT_CONFIG": str(path)})


def test_bad_port():
    with pytest.raises(ConfigError, match="PORT"):
        load_settings(env={"PORT": "eighty"})


def test_serving_settings_from_the_environment():
    settings = load_settings(env={"DATABASE_URL": "postgresql://u:p@db:5432/rolebot", "ROLEBOT_SHUTDOWN_SECONDS": "7.5",
                                  "SLACK_RESPONSE_URL_PREFIXES": "http://127.0.0.1:9/response/, https://hooks.slack.com/"})
    assert settings.database_url == "postgresql://u:p@db:5432/rolebot"
    assert settings.shutdown_seconds == 7.5
    assert settings.response_url_prefixes == ("http://127.0.0.1:9/response/", "https://hooks.slack.com/")


@pytest.mark.parametrize("env, message", [
    ({"DATABASE_URL": "mysql://u:hunter2@db/x"}, "DATABASE_URL must be a postgresql:// URL"),
    ({"ROLEBOT_SHUTDOWN_SECONDS": "soon"}, "ROLEBOT_SHUTDOWN_SECONDS must be a number"),
])
def test_wrong_serving_settings_are_named_without_the_password(env, message):
    with pytest.raises(ConfigError, match=message) as refused:
        load_settings(env=env)
    assert "hunter2" not in str(refused.value)
