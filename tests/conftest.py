"""Shared fixtures for the whole suite."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(config, items):
    # Every test that grades notebooks shares one xdist worker (and its cached batches).
    for item in items:
        if "grading" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("grading"))
