"""Figures of single modules, one file per topic, on top of :mod:`nnlib.plots`."""
