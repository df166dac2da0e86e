"""Loaders for the sentiment corpora in the formats their archives ship.

Each returns ``(texts, labels)``: a list of strings and an int64 array (1 =
positive, 0 = negative). :mod:`nnlib.data.fetch` downloads the archives.

- :func:`load_sst2_tsv`: GLUE SST-2 ``train.tsv`` / ``dev.tsv``
  (https://gluebenchmark.com/tasks), header ``sentence<TAB>label``, UTF-8
  with or without a byte-order mark, Unix or Windows line endings.
- :func:`load_imdb_folder`: the Large Movie Review Dataset ``aclImdb``
  (https://ai.stanford.edu/~amaas/data/sentiment/), one review per file.
- :func:`load_polarity_files`: Pang & Lee's ``rt-polarity.pos`` /
  ``rt-polarity.neg`` (sentence polarity v1.0), one sentence per line,
  Windows-1252 encoded: 5,331 sentences in each file.
"""

from pathlib import Path

import numpy as np


def _existing_file(function, path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{function}: no file at {str(path)!r}.")
    return path


def read_text(function, path, encoding):
    """Decode the file at ``path``; a decode error names the file, the line and the byte."""
    raw = _existing_file(function, path).read_bytes()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1]
        raise ValueError(
            f"{function}: line {line} of {str(path)!r} cannot be decoded as {encoding} "
            f"(byte {byte!r} at offset {error.start}); expected a {encoding} text file."
        ) from None


def text_lines(text):
    """Split on ``"\\n"`` only, dropping a ``"\\r"`` before it (Windows line endings).

    ``str.splitlines`` also breaks at characters such as U+0085 or U+2028, which
    can occur inside a sentence; the corpora end their lines with ``"\\n"``.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def load_sst2_tsv(path):
    """Read a GLUE SST-2 file with header ``sentence<TAB>label`` (labels 0/1).

    A byte-order mark and Windows line endings are accepted. The GLUE
    ``test.tsv`` has no labels (its header is ``index<TAB>sentence``) and is
    refused with an error saying so.
    """
    lines = text_lines(read_text("load_sst2_tsv", path, "utf-8-sig"))
    if not any(line.strip() for line in lines):
        raise ValueError(f"load_sst2_tsv: {str(path)!r} is empty; expected a header 'sentence\\tlabel'.")
    header = [field.strip() for field in lines[0].split("\t")]
    if header != ["sentence", "label"]:
        raise ValueError(
            f"load_sst2_tsv: {str(path)!r} has header {lines[0]!r}; expected 'sentence\\tlabel'"
            f"{_sst2_header_hint(header)}."
        )
    texts, labels = [], []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        sentence, tab, label = line.rpartition("\t")
        try:
            labels.append(int(label))
        except ValueError:
            labels.append(None)
        if not tab or labels[-1] not in (0, 1):
            raise ValueError(
                f"load_sst2_tsv: line {number} of {str(path)!r} has label {label.strip()!r}; "
                "expected 0 or 1 after a tab."
            )
        texts.append(sentence.strip())
    if not texts:
        raise ValueError(f"load_sst2_tsv: {str(path)!r} has a header but no sentences.")
    return texts, np.array(labels, dtype=np.int64)


def _sst2_header_hint(header):
    """A hint about what the file is, only when its first line says so."""
    if "sentence" in header and "label" not in header:
        return " (this looks like the GLUE test split, which has no labels: use train.tsv and dev.tsv)"
    if len(header) == 2 and header[1] in ("0", "1"):
        return " (the file has no header line: its first line is already a sentence and its label)"
    if len(header) == 1:
        return (
            " (the first line has no tab: for one sentence per line, such as rt-polarity.pos, "
            "use load_polarity_files)"
        )
    return ""


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
            text = read_text("load_imdb_folder", file, "utf-8")
            if strip_html:
                text = text.replace("<br />", " ").replace("<br/>", " ")
            texts.append(text.strip())
            labels.append(label)
    return texts, np.array(labels, dtype=np.int64)


def load_polarity_files(pos_path, neg_path, encoding="cp1252"):
    """Read ``rt-polarity.pos`` and ``rt-polarity.neg``: one sentence per line.

    Positive sentences (label 1) come first, then negative ones (label 0);
    blank lines are skipped. The original files are Windows-1252 (``cp1252``):
    byte 0x85 is an ellipsis and 0x96/0x97 are dashes. Lines end at ``"\\n"``
    only, so the original files give 5,331 sentences each. A file with tabs in
    its first line (a TSV such as SST-2's) is refused.
    """
    texts, labels = [], []
    for label, file in ((1, pos_path), (0, neg_path)):
        lines = text_lines(read_text("load_polarity_files", file, encoding))
        if "\t" in lines[0]:
            raise ValueError(
                f"load_polarity_files: line 1 of {str(file)!r} is {lines[0][:60]!r}, with tabs; expected "
                "one sentence per line (a tab-separated file such as SST-2's is read by load_sst2_tsv)."
            )
        sentences = [line.strip() for line in lines if line.strip()]
        if not sentences:
            raise ValueError(f"load_polarity_files: {str(file)!r} is empty; expected one sentence per line.")
        texts += sentences
        labels += [label] * len(sentences)
    return texts, np.array(labels, dtype=np.int64)


# The files each corpus needs, relative to the folder its archive unpacks into.
CORPUS_FILES = {
    "sst2": ("SST-2/train.tsv", "SST-2/dev.tsv"),
    "polarity": ("rt-polaritydata/rt-polarity.pos", "rt-polaritydata/rt-polarity.neg"),
    "imdb": ("aclImdb/train/pos", "aclImdb/train/neg", "aclImdb/test/pos", "aclImdb/test/neg"),
}


def load_corpus(name, root):
    """The labelled splits of corpus ``name`` unpacked under ``root``, as ``{split: (texts, labels)}``.

    - ``"sst2"``: ``{"train": SST-2/train.tsv, "dev": SST-2/dev.tsv}``. GLUE's
      ``train.tsv`` holds phrases cut from the training sentences, and
      ``test.tsv`` has no labels, so ``dev.tsv`` (whole sentences) is the test set.
    - ``"polarity"``: ``{"all": both files}``; the corpus has no split of its own.
    - ``"imdb"``: ``{"train": aclImdb/train, "test": aclImdb/test}``.
    """
    root = Path(root)
    if name not in CORPUS_FILES:
        raise ValueError(f"load_corpus: unknown corpus {name!r}; expected one of {sorted(CORPUS_FILES)}.")
    if name == "sst2":
        return {split: load_sst2_tsv(root / "SST-2" / f"{split}.tsv") for split in ("train", "dev")}
    if name == "polarity":
        folder = root / "rt-polaritydata"
        return {"all": load_polarity_files(folder / "rt-polarity.pos", folder / "rt-polarity.neg")}
    return {split: load_imdb_folder(root / "aclImdb", split=split) for split in ("train", "test")}
