"""Small corpora written byte for byte in the formats the real archives ship.

- ``SST-2/{train,dev,test}.tsv``: GLUE's TSV, UTF-8, header ``sentence<TAB>label``
  (test: ``index<TAB>sentence``, no labels); optionally with a byte-order mark
  and Windows line endings.
- ``rt-polaritydata/rt-polarity.{pos,neg}``: Windows-1252, one sentence per
  line ending in ``"\\n"``, with the bytes 0x85 (ellipsis), 0x96 and 0x97
  (dashes) that the original files contain.
- ``aclImdb/{train,test}/{pos,neg}/<id>_<stars>.txt``: one UTF-8 review per file,
  ``<br />`` for line breaks, and an ``unsup`` folder.

The sentences come from :func:`nnlib.data.synthetic_reviews` (very negative and
negative = 0, positive and very positive = 1, neutral dropped), so models can
learn something from them.
"""

import io
import tarfile
import zipfile
from pathlib import Path

from nn4nlp.reviews import synthetic_reviews

# Bytes 0x85, 0x96 and 0x97 in Windows-1252: an ellipsis, an en dash and an em dash.
CP1252_EXTRAS = (
    "the plot \u2026 well , it drags .",
    "a film \u2013 and a good one",
    "funny \u2014 truly funny",
)


def binary_sentences(n, seed):
    """``n`` synthetic sentences or fewer with two classes (0 negative, 1 positive)."""
    texts, labels = synthetic_reviews(n, seed=seed)
    keep = labels != 2
    return [t for t, k in zip(texts, keep, strict=True) if k], (labels[keep] > 2).astype(int).tolist()


def sst2_files(root, n_train=300, n_dev=80, bom=False, crlf=False):
    """Write ``root/SST-2/{train,dev,test}.tsv``; returns the folder."""
    folder = Path(root) / "SST-2"
    folder.mkdir(parents=True, exist_ok=True)
    newline = "\r\n" if crlf else "\n"
    for name, n, seed in (("train", n_train, 1), ("dev", n_dev, 2)):
        texts, labels = binary_sentences(n, seed)
        # GLUE's sentences end with a space before the tab.
        body = (
            "sentence\tlabel"
            + newline
            + "".join(f"{t} \t{y}{newline}" for t, y in zip(texts, labels, strict=True))
        )
        (folder / f"{name}.tsv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    texts, _ = binary_sentences(40, 3)
    test = "index\tsentence\n" + "".join(f"{i}\t{t}\n" for i, t in enumerate(texts))
    (folder / "test.tsv").write_bytes(test.encode("utf-8"))
    return folder


def polarity_files(root, n=400):
    """Write ``root/rt-polaritydata/rt-polarity.{pos,neg}`` in Windows-1252; returns the folder."""
    folder = Path(root) / "rt-polaritydata"
    folder.mkdir(parents=True, exist_ok=True)
    texts, labels = binary_sentences(n, 4)
    for label, name in ((1, "pos"), (0, "neg")):
        lines = [t for t, y in zip(texts, labels, strict=True) if y == label] + list(CP1252_EXTRAS)
        # The original lines end with a space before "\n".
        (folder / f"rt-polarity.{name}").write_bytes("".join(f"{t} \n" for t in lines).encode("cp1252"))
    return folder


def imdb_folder(root, n=300):
    """Write ``root/aclImdb/{train,test}/{pos,neg,unsup}``; returns the ``aclImdb`` folder."""
    folder = Path(root) / "aclImdb"
    for split, seed in (("train", 5), ("test", 6)):
        texts, labels = binary_sentences(n, seed)
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            directory = folder / split / ("pos" if label else "neg")
            directory.mkdir(parents=True, exist_ok=True)
            stars = 8 if label else 2
            (directory / f"{i}_{stars}.txt").write_text(f"{text}<br /><br />{text}", encoding="utf-8")
    (folder / "train" / "unsup").mkdir(exist_ok=True)
    return folder


def all_corpora(root):
    """Every fixture corpus under ``root``, in the layout the fetcher unpacks to."""
    sst2_files(root)
    polarity_files(root)
    imdb_folder(root)
    return Path(root)


def zip_of(folder):
    """The bytes of a zip archive holding ``folder`` under its own name (like GLUE's SST-2.zip)."""
    folder = Path(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            archive.write(file, file.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def tar_gz_of(folder):
    """The bytes of a .tar.gz archive holding ``folder`` under its own name."""
    folder = Path(folder)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    return buffer.getvalue()
