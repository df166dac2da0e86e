"""A progress bar that shows itself only where someone is watching.

In Jupyter, ``tqdm.auto`` draws a notebook widget; in a terminal, a text bar.
When output goes to a file or a pipe (tests, autograding, scripts run in the
background) nothing is printed. tqdm is imported only when a bar is shown.
"""

import importlib.util
import sys


def in_jupyter():
    """True inside a Jupyter kernel (never imports IPython itself)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def is_interactive():
    """True in a Jupyter kernel or when stdout is a terminal."""
    if in_jupyter():
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


class _Silent:
    """Stands in for a tqdm bar and draws nothing."""

    def update(self, n=1):
        pass

    def set_description(self, *args, **kwargs):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress_bar(total, enabled=None, **kwargs):
    """A ``tqdm.auto`` bar counting to ``total``, or a silent stand-in.

    ``enabled``: True always shows it, False never, None (default) shows it
    when :func:`is_interactive`. Other keyword arguments go to tqdm. Without
    tqdm installed (it is the optional ``progress`` extra), the automatic bar
    stays silent and ``enabled=True`` raises an ImportError that says so.
    """
    if enabled is None:
        enabled = is_interactive() and importlib.util.find_spec("tqdm") is not None
    if not enabled:
        return _Silent()
    try:
        from tqdm.auto import tqdm
    except ImportError as error:
        raise ImportError(
            "a progress bar needs tqdm: pip install tqdm (or nn4nlp-course[progress])"
        ) from error

    return tqdm(total=total, **kwargs)
