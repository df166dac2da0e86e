"""The course's own kit: what belongs to one module's lesson rather than to nnlib.

nnlib is the library a student keeps after the course; this package is the
course around it. Each module of the course that needs more than nnlib finds it
here, in a file named after the module's topic:

- ``nn4nlp.plots.<topic>``: the module's figures (matplotlib, imported on use);
- ``nn4nlp.widgets.<topic>``: the module's interactive explorers, built on
  :mod:`nn4nlp.widgets.base`;
- reference helpers that a notebook imports after its exercise, so a student who
  is stuck still sees the rest of the lesson: :mod:`nn4nlp.perceptron` (01),
  :mod:`nn4nlp.text_models` (08), and the synthetic data of module 08,
  :mod:`nn4nlp.reviews`.

The checks that test cells run are a package of their own, :mod:`nbchecks`.
"""
