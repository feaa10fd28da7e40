"""The platform floor: one sub-package per chat platform (``handlers.slack``, ``handlers.teams``), each
with its listeners and rendering, plus ``handlers.context``, what every listener needs (settings, store,
index, engine), built once per process."""
