"""Plots for the course, built on matplotlib (imported only when a function runs).

Every function takes ``ax=None`` (draw on this Axes, or on a new figure),
labels its axes, sets a short title and uses the colour-blind-safe Okabe-Ito
palette with one marker per class. They return the Axes they drew on, except
:func:`plot_history`, which returns the Figure (one panel per metric).

- :func:`decision_boundary` - regions of a 2-D classifier with the data.
- :func:`plot_history` - training and validation curves.
- :func:`loss_surface` - contour lines of a 2-parameter loss with optimiser paths.
- :func:`hidden_activations` - hidden-layer activations by class (PCA when wider than 2).
- :func:`confusion_matrix` - a confusion matrix (the numbers: ``nnlib.data.confusion_matrix``).
- :func:`activation_functions` - step, sigmoid, tanh, ReLU, leaky ReLU.
"""

from nnlib.plots.activations import activation_functions
from nnlib.plots.confusion import confusion_matrix
from nnlib.plots.decision import decision_boundary
from nnlib.plots.hidden import hidden_activations, pca_2d
from nnlib.plots.history import plot_history
from nnlib.plots.style import MARKERS, PALETTE
from nnlib.plots.surface import loss_surface

__all__ = [
    "MARKERS",
    "PALETTE",
    "activation_functions",
    "confusion_matrix",
    "decision_boundary",
    "hidden_activations",
    "loss_surface",
    "pca_2d",
    "plot_history",
]
