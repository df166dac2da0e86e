"""Shared machinery for the course's interactive explorers.

An explorer is a column of labelled controls above a matplotlib figure that
is redrawn whenever a control moves. A module author writes one ``draw``
function and one dictionary of controls::

    import numpy as np
    from nn4nlp.widgets import Explorer, dropdown, slider

    def draw(ax, slope, bias, activation):
        z = np.linspace(-5, 5, 201)
        f = np.tanh if activation == "tanh" else (lambda t: 1 / (1 + np.exp(-t)))
        ax.plot(z, f(slope * z + bias))
        ax.set_xlabel("input")
        ax.set_ylabel("output")
        ax.set_title("One neuron")

    explorer = Explorer(
        {
            "slope": slider("weight w", 1.0, -5.0, 5.0),
            "bias": slider("bias b", 0.0, -5.0, 5.0),
            "activation": dropdown("activation", ["sigmoid", "tanh"]),
        },
        draw,
    )
    explorer  # the last line of a cell shows it

How it behaves:

- ``draw(ax, **values)`` receives a fresh Axes on every redraw (an array of
  Axes with ``subplots=(rows, cols)``) and the current value of each control,
  by name. It only draws; it does not call ``plt.show()``.
- The figure is a plain ``matplotlib.figure.Figure`` rendered to PNG and shown
  in an ``ipywidgets.Image``: no pyplot state, no flicker, works with any
  matplotlib backend.
- Every control has a visible label (its ``description``, by default the
  name in the dictionary). Sliders use ``continuous_update=False`` (the figure
  is redrawn when the slider is released) and take the arrow keys when
  focused, so everything works from the keyboard.
- Static fallback: displaying an explorer offers the live widget *and* a PNG
  of the figure at the initial values (or at ``fallback_values``). JupyterLab
  shows the widget; nbconvert, GitHub and other viewers without a kernel show
  the picture.
- ``explorer.set(slope=2.0, bias=-1.0)`` moves controls from code (one
  redraw), ``explorer.values`` reads them, ``explorer.figure_png()`` returns
  the PNG bytes of the current figure, ``explorer.figure`` is the last
  matplotlib Figure drawn.

ipywidgets and matplotlib are imported only when a control or an explorer is
built, so ``import nn4nlp.widgets`` stays fast.
"""

import base64
import html
import io
import math
import traceback

LABEL_STYLE = {"description_width": "initial"}  # never truncate a label


def control_layout():
    import ipywidgets

    return ipywidgets.Layout(width="100%", max_width="520px")


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def slider(description, value, min, max, step=None, *, log=False, readout_format=None):
    """A labelled slider: ``IntSlider`` when all numbers are ints, else ``FloatSlider``.

    ``log=True`` gives a ``FloatLogSlider`` (powers of ten between ``min`` and
    ``max``, for learning rates and the like; ``step`` is then in decades).
    The slider shows its value (``readout``), redraws on release
    (``continuous_update=False``) and moves with the arrow keys when focused.
    """
    import ipywidgets

    if not description:
        raise ValueError("slider: every control needs a visible description (label).")
    if not min < max:
        raise ValueError(f"slider {description!r}: min must be below max, got min={min!r}, max={max!r}.")
    if not min <= value <= max:
        raise ValueError(f"slider {description!r}: value {value!r} is outside [{min!r}, {max!r}].")
    common = {
        "description": description,
        "continuous_update": False,
        "readout": True,
        "style": LABEL_STYLE,
        "layout": control_layout(),
    }
    if log:
        if min <= 0:
            raise ValueError(f"slider {description!r}: a log slider needs min > 0, got {min!r}.")
        low, high = math.log10(min), math.log10(max)
        return ipywidgets.FloatLogSlider(
            value=value,
            base=10,
            min=low,
            max=high,
            step=step if step is not None else (high - low) / 100,
            readout_format=readout_format or ".3g",
            **common,
        )
    if all(_is_int(v) for v in (value, min, max)) and (step is None or _is_int(step)):
        return ipywidgets.IntSlider(value=value, min=min, max=max, step=step or 1, **common)
    return ipywidgets.FloatSlider(
        value=float(value),
        min=float(min),
        max=float(max),
        step=float(step) if step is not None else (max - min) / 100,
        readout_format=readout_format or ".3g",
        **common,
    )


def dropdown(description, options, value=None):
    """A labelled drop-down list of ``options`` (strings, or ``(label, value)`` pairs)."""
    import ipywidgets

    if not description:
        raise ValueError("dropdown: every control needs a visible description (label).")
    options = list(options)
    if not options:
        raise ValueError(f"dropdown {description!r}: needs at least one option.")
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return ipywidgets.Dropdown(
        options=options,
        value=first if value is None else value,
        description=description,
        style=LABEL_STYLE,
        layout=control_layout(),
    )


def _as_control(name, spec):
    """A widget from a control spec: a widget, ``(min, max[, step])`` or a list of options."""
    import ipywidgets

    if isinstance(spec, ipywidgets.ValueWidget):
        if not getattr(spec, "description", ""):
            spec.description = name
        return spec
    if isinstance(spec, tuple) and len(spec) in (2, 3):
        low, high = spec[0], spec[1]
        middle = (low + high) // 2 if _is_int(low) and _is_int(high) else (low + high) / 2
        return slider(name, middle, low, high, spec[2] if len(spec) == 3 else None)
    if isinstance(spec, list):
        return dropdown(name, spec)
    raise TypeError(
        f"Explorer: control {name!r} must be an ipywidgets control (see slider() and dropdown()), "
        f"a (min, max[, step]) tuple or a list of options; got {type(spec).__name__}."
    )


class Explorer:
    """Labelled controls above a figure that ``draw(ax, **values)`` redraws on every change.

    ``controls``: dict name -> control (see the module docstring); the names
    are the keyword arguments of ``draw``. ``subplots=(rows, cols)`` chooses
    what ``draw`` receives (one Axes for (1, 1)). ``fallback_values`` (a dict
    of some control values) sets what the static PNG shows in exports; by
    default the initial values.

    Attributes: ``controls`` (dict of widgets), ``widget`` (the ipywidgets
    VBox), ``image`` (the ipywidgets Image with the current PNG),
    ``figure`` (the last Figure drawn), ``message`` (shows an error raised by
    ``draw`` after a control moved).
    """

    def __init__(self, controls, draw, *, subplots=(1, 1), figsize=(6.0, 4.0), dpi=96, fallback_values=None):
        import ipywidgets

        if not controls:
            raise ValueError("Explorer: needs at least one control.")
        self.controls = {name: _as_control(name, spec) for name, spec in controls.items()}
        self.draw = draw
        self.subplots = tuple(subplots)
        self.figsize = figsize
        self.dpi = dpi
        self.initial_values = self.values
        self.fallback_values = {**self.initial_values, **self._checked(fallback_values or {})}
        self.figure = None
        self._holding = False
        self.image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="100%"))
        self.message = ipywidgets.HTML("")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = ipywidgets.VBox([*self.controls.values(), self.image, self.message])
        self.redraw()

    # -- values --------------------------------------------------------------

    @property
    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _checked(self, values):
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"Explorer: no control named {unknown}; the controls are {sorted(self.controls)}."
            )
        return values

    def set(self, **values):
        """Move the named controls to ``values`` and redraw once."""
        self._checked(values)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.redraw()

    # -- drawing -------------------------------------------------------------

    def render(self, values):
        """Draw the figure for ``values`` (all controls) and return ``(figure, png_bytes)``."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        axes = figure.subplots(*self.subplots)
        self.draw(axes, **values)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=self.dpi)
        return figure, buffer.getvalue()

    def redraw(self):
        """Draw the figure for the current values and show it."""
        self.figure, self.image.value = self.render(self.values)
        self.message.value = ""

    def _on_change(self, change):
        if self._holding:
            return
        try:
            self.redraw()
        except Exception as error:  # shown under the figure: an observer's exception would be lost
            text = "".join(traceback.format_exception_only(type(error), error))
            self.message.value = f"<pre style='color:#D55E00'>draw() failed: {html.escape(text)}</pre>"

    def figure_png(self, **values):
        """PNG bytes of the figure at the current values (changed by ``values``, controls untouched)."""
        if not values:
            return bytes(self.image.value)
        return self.render({**self.values, **self._checked(values)})[1]

    def fallback_png(self):
        """PNG bytes of the static picture shown where widgets cannot run."""
        return self.render(self.fallback_values)[1]

    # -- display -------------------------------------------------------------

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        data = self.widget._repr_mimebundle_(include=include, exclude=exclude, **kwargs) or {}
        data["text/plain"] = repr(self)
        data["image/png"] = base64.b64encode(self.fallback_png()).decode("ascii")
        return data

    def __repr__(self):
        shown = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"Explorer({shown})"
