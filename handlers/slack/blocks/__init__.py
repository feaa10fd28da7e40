"""Block Kit rendering: ``answer`` renders an ``Answer``, ``parts`` holds the shared block helpers and
the Slack-text escaper, ``text`` shows Block Kit as plain text for the console."""
