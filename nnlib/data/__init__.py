"""Data for the course: toy sets, Iris, text corpora, splits and text helpers.

Everything but :func:`fetch` is offline and returns NumPy arrays; random generators take
``seed`` (an int or a ``numpy.random.Generator``, see :mod:`nnlib.seeding`).

- Toy 2-D classification: :func:`xor`, :func:`pass_fail`, :func:`two_moons`,
  :func:`spirals`, :func:`blobs`.
- :func:`iris`: Fisher's Iris table (shipped as ``iris.csv``).
- Splits: :func:`train_test_split`, :func:`train_val_test_split`.
- Text: :func:`tokenize`, :class:`Vocabulary`, :func:`bag_of_words` (dense, or
  :class:`SparseBags` for real corpora), and loaders
  for real corpora you have:
  :func:`load_sst2_tsv`, :func:`load_imdb_folder`, :func:`load_polarity_files`,
  :func:`load_corpus` (every split of a corpus unpacked in a folder).
- Downloads: :func:`fetch` puts SST-2, the sentence-polarity data or IMDB into
  :func:`data_home` (``$NN4NLP_DATA`` or a per-user cache; needs the optional
  pooch and platformdirs); failures raise :class:`DownloadError`.
- :func:`confusion_matrix`: the matrix itself (``nnlib.plots.confusion_matrix`` draws it).
"""

from nnlib.data.confusion import confusion_matrix
from nnlib.data.corpora import load_corpus, load_imdb_folder, load_polarity_files, load_sst2_tsv
from nnlib.data.fetch import DownloadError, data_home, fetch
from nnlib.data.iris import Dataset, iris
from nnlib.data.split import train_test_split, train_val_test_split
from nnlib.data.text import SparseBags, Vocabulary, bag_of_words, tokenize
from nnlib.data.toy import blobs, pass_fail, spirals, two_moons, xor

__all__ = [
    "SparseBags",
    "Dataset",
    "DownloadError",
    "Vocabulary",
    "bag_of_words",
    "blobs",
    "confusion_matrix",
    "data_home",
    "fetch",
    "iris",
    "load_corpus",
    "load_imdb_folder",
    "load_polarity_files",
    "load_sst2_tsv",
    "pass_fail",
    "spirals",
    "tokenize",
    "train_test_split",
    "train_val_test_split",
    "two_moons",
    "xor",
]
