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


def bag_of_words(texts, vocab, binary=False, dtype=np.float64):
    """Count how often each vocabulary entry occurs in each text.

    ``texts``: N strings (or token lists). Returns an array of shape
    ``(N, len(vocab))``; entry ``[i, j]`` is the number of times token ``j``
    occurs in text ``i`` (unknown tokens count as ``<unk>`` when the vocabulary
    has it, otherwise they are dropped). ``binary=True`` gives 0/1 indicators.
    """
    if isinstance(texts, str):
        raise TypeError("bag_of_words: expected a list of texts, got a single string.")
    counts = np.zeros((len(texts), len(vocab)), dtype=dtype)
    for row, text in enumerate(texts):
        for token in _tokens(text):
            index = vocab.stoi.get(token, vocab.unk_index)
            if index is not None:
                counts[row, index] += 1
    if binary:
        np.minimum(counts, 1, out=counts)
    return counts
