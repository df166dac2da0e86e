"""Interactive explorers for the notebooks (ipywidgets + matplotlib, imported lazily).

The shared machinery is in :mod:`nn4nlp.widgets.base` (see its docstring for
an example): :class:`Explorer`, :func:`slider`, :func:`dropdown`. Each module
of the course adds its own explorers as ``nn4nlp/widgets/<name>.py`` on top of
it; every explorer also shows a static picture where widgets cannot run.
"""

from nn4nlp.widgets.base import Explorer, dropdown, slider

__all__ = ["Explorer", "dropdown", "slider"]
