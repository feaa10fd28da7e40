"""rolebot's thin top layer: configuration, the app factory, the CLI and logging set-up."""
