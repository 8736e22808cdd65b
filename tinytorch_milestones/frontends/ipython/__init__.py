"""The IPython extension: the `%milestones` magic, its completion, and the hooks that keep views live."""
