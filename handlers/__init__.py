"""Slack listeners of rolebot, one module per surface, each with ``register(app, ctx)``.

``handlers.context.AppContext`` carries what every listener needs (settings, store, index, engine);
``bot.app.create_app`` builds it once and calls every module's ``register``.
"""
