"""The role library: the role model, document loaders, the SQLite index and the answer engine.

Platform-neutral: nothing in this package imports Slack (or Teams).
"""
