"""nn4nlp.widgets.base: labelled controls and the Explorer, exercised without a browser."""

import base64
import subprocess
import sys

import numpy as np
import pytest

ipywidgets = pytest.importorskip("ipywidgets")

from nn4nlp.widgets import Explorer, dropdown, slider  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _explorer(**kwargs):
    calls = []

    def draw(ax, amplitude, power, colour):
        calls.append((amplitude, power, colour))
        x = np.linspace(0, 1, 50)
        ax.plot(x, amplitude * x**power, color=colour)
        ax.set_ylim(0, 2)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title("curve")

    controls = {
        "amplitude": slider("amplitude a", 1.0, 0.0, 2.0),
        "power": slider("power n", 2, 1, 5),
        "colour": dropdown("line colour", ["#0072B2", "#D55E00"]),
    }
    return Explorer(controls, draw, figsize=(3, 2), dpi=50, **kwargs), calls


def test_importing_widgets_is_lazy():
    code = "import sys, nn4nlp.widgets; print(sorted({'ipywidgets', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import nn4nlp.widgets imported {out.strip()}"


def test_slider_kinds_and_accessibility():
    float_slider = slider("learning rate", 0.5, 0.0, 1.0)
    int_slider = slider("epochs", 3, 1, 10)
    log_slider = slider("lr (log)", 0.01, 1e-4, 1.0, log=True)
    assert isinstance(float_slider, ipywidgets.FloatSlider), type(float_slider)
    assert isinstance(int_slider, ipywidgets.IntSlider), type(int_slider)
    assert isinstance(log_slider, ipywidgets.FloatLogSlider), type(log_slider)
    assert (log_slider.min, log_slider.max) == (-4.0, 0.0), f"log range {(log_slider.min, log_slider.max)}"
    assert abs(log_slider.value - 0.01) < 1e-12, f"log slider value {log_slider.value}"
    for widget in (float_slider, int_slider, log_slider):
        assert widget.description, "every slider needs a visible label"
        assert widget.continuous_update is False, f"{widget.description}: continuous_update should be False"
        assert widget.readout is True, f"{widget.description}: the value should be shown"
        assert widget.style.description_width == "initial", "labels must not be truncated"
    assert float_slider.step == pytest.approx(0.01) and int_slider.step == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("", 1, 0, 2), "visible description"),
        (("x", 1, 2, 0), "min must be below max"),
        (("x", 5, 0, 2), r"value 5 is outside \[0, 2\]"),
    ],
)
def test_slider_errors(args, message):
    with pytest.raises(ValueError, match=message):
        slider(*args)


def test_log_slider_needs_positive_range():
    with pytest.raises(ValueError, match="log slider needs min > 0"):
        slider("lr", 0.5, 0.0, 1.0, log=True)


def test_every_control_of_an_explorer_has_a_label():
    explorer, _ = _explorer()
    for name, control in explorer.controls.items():
        assert control.description, f"control {name!r} has no label"
    shorthand = Explorer(
        {"k": (1, 9), "mode": ["a", "b"], "t": ipywidgets.FloatText(1.0)}, lambda ax, k, mode, t: None
    )
    labels = {name: c.description for name, c in shorthand.controls.items()}
    assert labels == {"k": "k", "mode": "mode", "t": "t"}, f"labels {labels}"
    assert shorthand.values == {"k": 5, "mode": "a", "t": 1.0}, f"values {shorthand.values}"


def test_moving_a_slider_redraws_and_changes_the_png():
    explorer, calls = _explorer()
    assert calls == [(1.0, 2, "#0072B2")], f"initial draw calls {calls}"
    before = explorer.figure_png()
    assert before.startswith(PNG_SIGNATURE) and explorer.image.value == before
    explorer.controls["amplitude"].value = 1.5  # what the browser does when the slider moves
    assert calls[-1] == (1.5, 2, "#0072B2") and len(calls) == 2, f"draw calls {calls}"
    after = explorer.figure_png()
    assert after != before, "the PNG should change when a slider moves"
    line = explorer.figure.axes[0].lines[0]
    assert line.get_ydata()[-1] == pytest.approx(1.5), "the figure should show the new value"


def test_set_moves_several_controls_with_one_redraw():
    explorer, calls = _explorer()
    explorer.set(amplitude=0.5, power=3, colour="#D55E00")
    assert len(calls) == 2 and calls[-1] == (0.5, 3, "#D55E00"), f"draw calls {calls}"
    assert explorer.values == {"amplitude": 0.5, "power": 3, "colour": "#D55E00"}, explorer.values
    with pytest.raises(ValueError, match=r"no control named \['speed'\]"):
        explorer.set(speed=1)


def test_mimebundle_has_widget_view_and_static_png():
    explorer, _ = _explorer()
    initial = explorer.figure_png()
    explorer.set(amplitude=2.0)
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_VIEW in bundle, f"bundle keys {sorted(bundle)}"
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id, (
        "the view should show the explorer's box"
    )
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG_SIGNATURE), "image/png should be base64-encoded PNG data"
    assert png == initial, "the static fallback shows the figure at the initial values"
    assert bundle["text/plain"].startswith("Explorer(amplitude=2.0")
    assert (
        explorer.image in explorer.widget.children and explorer.controls["power"] in explorer.widget.children
    )


def test_fallback_values_choose_the_static_picture():
    explorer, _ = _explorer(fallback_values={"power": 1})
    assert explorer.fallback_png() == explorer.figure_png(power=1), "fallback should use fallback_values"
    assert explorer.fallback_png() != explorer.figure_png(), "fallback differs from the initial figure here"
    assert explorer.values["power"] == 2, "rendering other values must not move the controls"
    with pytest.raises(ValueError, match="no control named"):
        _explorer(fallback_values={"nope": 1})


def test_subplots_and_draw_errors_after_a_change():
    seen = {}

    def draw(axes, n):
        seen["shape"] = np.shape(axes)
        if n == 3:
            raise RuntimeError("n = 3 is not allowed")

    explorer = Explorer({"n": slider("n", 1, 1, 5)}, draw, subplots=(1, 2), figsize=(3, 2), dpi=40)
    assert seen["shape"] == (2,), f"draw received axes of shape {seen['shape']}"
    explorer.controls["n"].value = 3
    assert "n = 3 is not allowed" in explorer.message.value, "the error should be shown under the figure"
    explorer.controls["n"].value = 2
    assert explorer.message.value == "", "a successful redraw clears the message"


def test_explorer_rejects_bad_controls():
    with pytest.raises(TypeError, match="control 'x' must be an ipywidgets control"):
        Explorer({"x": 3}, lambda ax, x: None)
    with pytest.raises(ValueError, match="at least one control"):
        Explorer({}, lambda ax: None)
