"""Load the tinytorch_milestones extension in every IPython kernel and terminal of this environment.

Installed into {sys.prefix}/etc/ipython/startup/ by the package. Set TINYTORCH_MILESTONES_DISABLE=1 to skip it.

It calls the extension's own `load_ipython_extension` rather than `%load_ext`: the extension manager
then does not count it as loaded, so a notebook's own `%load_ext tinytorch_milestones` stays silent
(it finds the extension installed and changes nothing) instead of printing "already loaded".
"""


def _load_tinytorch_milestones() -> None:
    import os

    if os.environ.get("TINYTORCH_MILESTONES_DISABLE", "").lower() in ("1", "true", "yes"):
        return
    try:
        import tinytorch_milestones

        tinytorch_milestones.load_ipython_extension(get_ipython())  # noqa: F821 (IPython's startup namespace)
    except Exception as error:  # a startup file that raises would stop the ones after it
        print(f"tinytorch-milestones: the extension was not loaded: {type(error).__name__}: {error}")


_load_tinytorch_milestones()
del _load_tinytorch_milestones
