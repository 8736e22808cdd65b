"""Load the tinytorch_milestones extension in every IPython kernel and terminal of this environment.

Installed into {sys.prefix}/etc/ipython/startup/ by the package. Set TINYTORCH_MILESTONES_DISABLE=1 to skip it.
"""


def _load_tinytorch_milestones() -> None:
    import os

    if os.environ.get("TINYTORCH_MILESTONES_DISABLE", "").lower() in ("1", "true", "yes"):
        return
    try:
        get_ipython().run_line_magic("load_ext", "tinytorch_milestones")  # noqa: F821 (IPython's startup namespace)
    except Exception as error:  # a startup file that raises would stop the ones after it
        print(f"tinytorch-milestones: the extension was not loaded: {type(error).__name__}: {error}")


_load_tinytorch_milestones()
del _load_tinytorch_milestones
