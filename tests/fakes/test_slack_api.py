"""The fake itself must answer like Slack for both verbs slack_sdk uses."""

from slack_sdk import WebClient

from tests.fakes.slack_api import FakeSlack


def test_users_info_over_get_and_post():
    with FakeSlack() as slack:
        slack.users["U1"] = {"tz": "Europe/Berlin", "deleted": False}
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        assert client.users_info(user="U1")["user"]["tz"] == "Europe/Berlin"
        assert client.api_call("users.info", data={"user": "U1"})["user"]["tz"] == "Europe/Berlin"
        assert [c.body["user"] for c in slack.calls_to("users.info")] == ["U1", "U1"]


def test_rate_limit_then_success():
    with FakeSlack() as slack:
        slack.rate_limit("chat.postMessage", times=1, retry_after=0)
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        from slack_sdk.errors import SlackApiError

        try:
            client.chat_postMessage(channel="U1", text="hi")
            raise AssertionError("expected a 429")
        except SlackApiError as exc:
            assert exc.response.status_code == 429
        assert client.chat_postMessage(channel="U1", text="hi")["channel"] == "D1"
