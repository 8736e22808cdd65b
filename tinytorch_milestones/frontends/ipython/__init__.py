"""The IPython extension: the `%milestones` magic, its completion, and the hooks that keep views live.

`extension` installs and removes it all; `magics` is the magic, `commands` runs and shows the shared
commands (`frontends.commands`) in the notebook,
`parser` the argparse for a magic line, `completion` the Tab matcher, `live_refresh` and `hooks` the guarded
background work.
"""
