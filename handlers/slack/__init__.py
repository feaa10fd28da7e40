"""Slack listeners of rolebot, one module per surface, each with ``register(app, ctx)``, plus their
Block Kit rendering (``blocks``). No answer or journey logic lives here: listeners call ``roles.answer.result``
and ``jobs`` and render what they return."""
