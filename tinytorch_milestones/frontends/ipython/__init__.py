"""The IPython extension: the `%milestones` magic, its completion, and the hooks that keep views live.

`extension` installs and removes it all; `magics` is the magic, `commands` its table of subcommands,
`parser` their argparse, `completion` the Tab matcher, `live_refresh` and `hooks` the guarded
background work.
"""
