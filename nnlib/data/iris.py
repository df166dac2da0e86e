"""Fisher's Iris flowers (Fisher 1936, measured by Edgar Anderson).

The 150-row table ships with nnlib as ``nnlib/data/iris.csv``: 50 flowers of
each of three species, four measurements each in centimetres. The values are
those of Fisher's paper (as distributed with scikit-learn, which corrects two
transcription errors in the UCI copy).
"""

from importlib import resources
from typing import NamedTuple

import numpy as np

FEATURE_NAMES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")
TARGET_NAMES = ("setosa", "versicolor", "virginica")


class Dataset(NamedTuple):
    """Features ``X`` (n, d) float64, labels ``y`` (n,) int64 and their names."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    target_names: tuple


def iris():
    """Load the Iris data: ``X`` (150, 4) float64 in cm, ``y`` (150,) int64 in 0..2.

    Columns of ``X`` follow :data:`FEATURE_NAMES` (sepal length, sepal width,
    petal length, petal width); ``y`` indexes :data:`TARGET_NAMES`
    ("setosa", "versicolor", "virginica"). Rows are in the original order
    (50 setosa, then 50 versicolor, then 50 virginica).
    """
    text = resources.files("nnlib.data").joinpath("iris.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    X = np.array([[float(v) for v in row[:4]] for row in rows])
    y = np.array([TARGET_NAMES.index(row[4].strip()) for row in rows], dtype=np.int64)
    return Dataset(X, y, FEATURE_NAMES, TARGET_NAMES)
