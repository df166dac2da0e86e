"""Loaders for sentiment corpora you have downloaded yourself.

nnlib cannot download anything; these read the usual distribution formats and
return ``(texts, labels)``: a list of strings and an int64 array (1 =
positive, 0 = negative).

- :func:`load_sst2_tsv`: GLUE SST-2 ``train.tsv`` / ``dev.tsv``
  (https://gluebenchmark.com/tasks), header ``sentence<TAB>label``.
- :func:`load_imdb_folder`: the Large Movie Review Dataset ``aclImdb``
  (https://ai.stanford.edu/~amaas/data/sentiment/), one review per file.
- :func:`load_polarity_files`: Pang & Lee's ``rt-polarity.pos`` /
  ``rt-polarity.neg`` (sentence polarity v1.0), one sentence per line.
"""

from pathlib import Path

import numpy as np


def _existing_file(function, path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{function}: no file at {str(path)!r}.")
    return path


def load_sst2_tsv(path):
    """Read a GLUE SST-2 file with header ``sentence<TAB>label`` (labels 0/1).

    The GLUE ``test.tsv`` has no labels (its header is ``index<TAB>sentence``)
    and is refused with an error saying so.
    """
    path = _existing_file("load_sst2_tsv", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        raise ValueError(f"load_sst2_tsv: {str(path)!r} is empty; expected a header 'sentence\\tlabel'.")
    header = lines[0].strip().split("\t")
    if header != ["sentence", "label"]:
        hint = " (the GLUE test split has no labels)" if "label" not in header else ""
        raise ValueError(
            f"load_sst2_tsv: {str(path)!r} has header {lines[0]!r}; expected 'sentence\\tlabel'{hint}."
        )
    texts, labels = [], []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        sentence, _, label = line.rpartition("\t")
        try:
            labels.append(int(label))
        except ValueError:
            raise ValueError(
                f"load_sst2_tsv: line {number} of {str(path)!r} has label {label!r}; expected an integer."
            ) from None
        texts.append(sentence.strip())
    if not texts:
        raise ValueError(f"load_sst2_tsv: {str(path)!r} has a header but no sentences.")
    return texts, np.array(labels, dtype=np.int64)


def load_imdb_folder(path, split="train", strip_html=True):
    """Read the ``aclImdb`` reviews of one split.

    Expects ``<path>/<split>/neg/*.txt`` and ``<path>/<split>/pos/*.txt``
    (``unsup`` is ignored); the label comes from the folder (neg = 0, pos = 1).
    Negative reviews come first, each folder in file-name order. With
    ``strip_html`` the ``<br />`` line breaks of the corpus become spaces.
    """
    root = Path(path)
    texts, labels = [], []
    for label, folder in ((0, "neg"), (1, "pos")):
        directory = root / split / folder
        if not directory.is_dir():
            raise FileNotFoundError(
                f"load_imdb_folder: no folder {str(directory)!r}; expected the aclImdb layout "
                f"<path>/{split}/neg/*.txt and <path>/{split}/pos/*.txt."
            )
        files = sorted(directory.glob("*.txt"))
        if not files:
            raise ValueError(f"load_imdb_folder: {str(directory)!r} contains no .txt files.")
        for file in files:
            text = file.read_text(encoding="utf-8")
            if strip_html:
                text = text.replace("<br />", " ").replace("<br/>", " ")
            texts.append(text.strip())
            labels.append(label)
    return texts, np.array(labels, dtype=np.int64)


def load_polarity_files(pos_path, neg_path, encoding="latin-1"):
    """Read ``rt-polarity.pos`` and ``rt-polarity.neg``: one sentence per line.

    Positive sentences (label 1) come first, then negative ones (label 0);
    blank lines are skipped. The original files are Latin-1 encoded.
    """
    texts, labels = [], []
    for label, file in ((1, pos_path), (0, neg_path)):
        file = _existing_file("load_polarity_files", file)
        sentences = [line.strip() for line in file.read_text(encoding=encoding).splitlines() if line.strip()]
        if not sentences:
            raise ValueError(f"load_polarity_files: {str(file)!r} is empty; expected one sentence per line.")
        texts += sentences
        labels += [label] * len(sentences)
    return texts, np.array(labels, dtype=np.int64)
