"""Turning text into numbers: tokens, a vocabulary, bags of words.

>>> tokenize("The plot was NOT good, but the cast... wow!")
['the', 'plot', 'was', 'not', 'good', ',', 'but', 'the', 'cast', '.', '.', '.', 'wow', '!']
>>> vocab = Vocabulary(["a good film", "a bad film"], max_size=10)
>>> vocab.itos
['<unk>', 'a', 'film', 'bad', 'good']
>>> vocab.encode("a great film")
[1, 0, 2]
>>> bag_of_words(["a good good film"], vocab)
array([[0., 1., 1., 0., 2.]])
"""

import re
from collections import Counter

import numpy as np

# A word is letters/digits, possibly joined by apostrophes or hyphens ("don't", "so-so");
# every other visible character except whitespace is a token of its own.
_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|[^\w\s]", re.UNICODE)


def tokenize(text):
    """Lower-case ``text`` and split it into words and single punctuation marks."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize: expected a string, got {type(text).__name__}.")
    return _TOKEN.findall(text.lower())


def _tokens(text_or_tokens):
    return tokenize(text_or_tokens) if isinstance(text_or_tokens, str) else list(text_or_tokens)


class Vocabulary:
    """A mapping between tokens and integer ids.

    Built from ``texts`` (strings, tokenized with :func:`tokenize`, or lists of
    tokens). Ids ``0 .. len(specials) - 1`` are the ``specials`` (by default
    just ``"<unk>"``, which stands for every unknown token); then come the
    tokens seen at least ``min_freq`` times, most frequent first (ties in
    alphabetical order), until the vocabulary holds ``max_size`` entries,
    specials included (``max_size=None``: no limit).

    Attributes: ``itos`` (list, id -> token) and ``stoi`` (dict, token -> id).
    """

    def __init__(self, texts, max_size=800, min_freq=1, specials=("<unk>",)):
        if isinstance(texts, str):
            raise TypeError("Vocabulary: expected a list of texts or of token lists, got a single string.")
        if max_size is not None and max_size < len(specials):
            raise ValueError(f"Vocabulary: max_size={max_size} cannot hold the {len(specials)} specials.")
        counts = Counter(token for text in texts for token in _tokens(text))
        for special in specials:
            counts.pop(special, None)
        ranked = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        room = None if max_size is None else max_size - len(specials)
        self.itos = list(specials) + ranked[:room]
        self.stoi = {token: i for i, token in enumerate(self.itos)}
        self.specials = tuple(specials)
        self.counts = counts
        self.unk_index = self.stoi.get("<unk>")

    def __len__(self):
        return len(self.itos)

    def __contains__(self, token):
        return token in self.stoi

    def __getitem__(self, token):
        """The id of ``token`` (the ``<unk>`` id for unknown tokens)."""
        index = self.stoi.get(token, self.unk_index)
        if index is None:
            raise KeyError(f"Vocabulary: token {token!r} is unknown and there is no '<unk>' special.")
        return index

    def __repr__(self):
        return f"Vocabulary(size={len(self)}, specials={self.specials})"

    def encode(self, tokens):
        """Ids of ``tokens`` (a list of tokens, or a string that is tokenized first)."""
        return [self[token] for token in _tokens(tokens)]

    def decode(self, ids):
        """Tokens of a sequence of ids."""
        return [self.itos[int(i)] for i in ids]


def bag_of_words(texts, vocab, binary=False, dtype=np.float64, sparse=False):
    """Count how often each vocabulary entry occurs in each text.

    ``texts``: N strings (or token lists). Returns an array of shape
    ``(N, len(vocab))``; entry ``[i, j]`` is the number of times token ``j``
    occurs in text ``i`` (unknown tokens count as ``<unk>`` when the vocabulary
    has it, otherwise they are dropped). ``binary=True`` gives 0/1 indicators.
    ``sparse=True`` returns :class:`SparseBags` instead: the same matrix kept
    as index lists, for corpora whose dense matrix would not fit in memory.
    """
    if isinstance(texts, str):
        raise TypeError("bag_of_words: expected a list of texts, got a single string.")
    if sparse:
        return SparseBags.from_texts(texts, vocab, binary=binary, dtype=dtype)
    counts = np.zeros((len(texts), len(vocab)), dtype=dtype)
    for row, text in enumerate(texts):
        for token in _tokens(text):
            index = vocab.stoi.get(token, vocab.unk_index)
            if index is not None:
                counts[row, index] += 1
    if binary:
        np.minimum(counts, 1, out=counts)
    return counts


class SparseBags:
    """Bags of words kept as index lists, made dense a few rows at a time.

    Row ``i`` is stored as the columns of the words of text ``i`` and their
    counts (``indices[indptr[i]:indptr[i + 1]]`` and ``counts[...]``, the CSR
    layout). A sentence uses a dozen of thousands of columns, so this takes a
    few hundred times less memory than the dense ``(N, V)`` matrix. Indexing
    with rows gives the dense rows (``bags[10:20]`` is a ``(10, V)`` array),
    which is what a mini-batch loop asks for; :meth:`rows` keeps them sparse.
    """

    def __init__(self, indptr, indices, counts, num_columns, dtype=np.float32):
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.counts = np.asarray(counts, dtype=dtype)
        self.shape = (len(self.indptr) - 1, int(num_columns))
        self.dtype = self.counts.dtype

    @classmethod
    def from_texts(cls, texts, vocab, binary=False, dtype=np.float32):
        indptr, indices, counts = [0], [], []
        for text in texts:
            ids = Counter(vocab.stoi.get(token, vocab.unk_index) for token in _tokens(text))
            ids.pop(None, None)
            columns = sorted(ids)
            indices += columns
            counts += [1 if binary else ids[c] for c in columns]
            indptr.append(len(indices))
        return cls(indptr, indices, counts, len(vocab), dtype=dtype)

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return f"SparseBags(shape={self.shape}, stored={len(self.indices)}, dtype={self.dtype})"

    @property
    def nbytes(self):
        return self.indptr.nbytes + self.indices.nbytes + self.counts.nbytes

    def _spans(self, rows):
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, np.repeat(starts, lengths) + offsets, lengths

    def rows(self, index):
        """The rows at ``index`` (an integer array, a boolean mask or a slice), still sparse."""
        rows = np.arange(len(self))[index]
        _, stored, lengths = self._spans(rows)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        return SparseBags(indptr, self.indices[stored], self.counts[stored], self.shape[1], self.dtype)

    def __getitem__(self, index):
        """Dense rows: an int gives shape (V,), a slice or an index array gives (n, V)."""
        if isinstance(index, tuple):
            raise TypeError(
                "SparseBags: index rows only (bags[rows]); use bags[rows][:, columns] for columns."
            )
        single = np.ndim(index) == 0 and not isinstance(index, slice)
        rows = np.arange(len(self))[np.atleast_1d(index) if single else index]
        out = np.zeros((len(rows), self.shape[1]), dtype=self.dtype)
        owner, stored, _ = self._spans(rows)
        out[owner, self.indices[stored]] = self.counts[stored]
        return out[0] if single else out

    def toarray(self):
        """The whole dense matrix (only for small corpora)."""
        return self[:]

    def sum_by_class(self, y, num_classes):
        """``out[c, j]``: the total of column j over the rows of class c, float64, shape (K, V)."""
        y = np.asarray(y).reshape(-1)
        out = np.zeros((num_classes, self.shape[1]))
        owner = np.repeat(np.arange(len(self)), np.diff(self.indptr))
        np.add.at(out, (y[owner], self.indices), self.counts)
        return out

    def matmul(self, W):
        """``bags @ W`` for a (V, K) array, without making the bags dense: shape (N, K)."""
        W = np.asarray(W)
        owner = np.repeat(np.arange(len(self)), np.diff(self.indptr))
        columns = [
            np.bincount(owner, weights=self.counts * W[self.indices, k], minlength=len(self))
            for k in range(W.shape[1])
        ]
        return np.stack(columns, axis=1).astype(np.result_type(W, self.dtype), copy=False)
