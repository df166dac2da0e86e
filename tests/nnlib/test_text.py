"""nnlib.data text tools: tokenizer, vocabulary, bag of words, corpus loaders, synthetic reviews."""

from collections import Counter

import numpy as np
import pytest

from nn4nlp import reviews as R
from nn4nlp import text_models
from nn4nlp.reviews import SENTIMENT_README, synthetic_reviews
from nnlib.data import (
    SparseBags,
    Vocabulary,
    bag_of_words,
    load_imdb_folder,
    load_polarity_files,
    load_sst2_tsv,
    tokenize,
    train_test_split,
)
from tests import corpus_fixtures

# -- tokenize ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The plot was NOT good.", ["the", "plot", "was", "not", "good", "."]),
        ("Wow!! It's so-so, (really)", ["wow", "!", "!", "it's", "so-so", ",", "(", "really", ")"]),
        ("  spaces\tand\nlines  ", ["spaces", "and", "lines"]),
        ("Café 2024: naïve?", ["café", "2024", ":", "naïve", "?"]),
        ("", []),
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected, f"tokenize({text!r}) = {tokenize(text)}, expected {expected}"


def test_tokenize_rejects_non_strings():
    with pytest.raises(TypeError, match="expected a string, got list"):
        tokenize(["a", "b"])


# -- Vocabulary ----------------------------------------------------------------


def test_vocabulary_orders_by_frequency_then_alphabet():
    vocab = Vocabulary(["b a c a", "c a d"], max_size=None)
    assert vocab.itos == ["<unk>", "a", "c", "b", "d"], f"itos {vocab.itos}"
    assert vocab.stoi == {t: i for i, t in enumerate(vocab.itos)}, f"stoi {vocab.stoi}"
    assert len(vocab) == 5 and "a" in vocab and "z" not in vocab, f"len {len(vocab)}"
    assert vocab.encode("a z d") == [1, 0, 4], f"encode: {vocab.encode('a z d')}"
    assert vocab.encode(["c", "b"]) == [2, 3], "encode accepts token lists"
    assert vocab.decode([1, 2, 0]) == ["a", "c", "<unk>"], f"decode: {vocab.decode([1, 2, 0])}"


def test_vocabulary_max_size_counts_specials_and_min_freq_filters():
    texts = [["x"] * 5 + ["y"] * 4 + ["z"] * 3 + ["w"]]
    vocab = Vocabulary(texts, max_size=3, specials=("<pad>", "<unk>"))
    assert vocab.itos == ["<pad>", "<unk>", "x"], f"itos {vocab.itos}"
    vocab = Vocabulary(texts, max_size=None, min_freq=3)
    assert vocab.itos == ["<unk>", "x", "y", "z"], f"itos {vocab.itos}"


def test_vocabulary_without_unk_raises_on_unknown_tokens():
    vocab = Vocabulary(["a b"], specials=())
    assert vocab.encode("b a") == [1, 0], f"encode {vocab.encode('b a')}"
    with pytest.raises(KeyError, match="'c' is unknown"):
        vocab.encode("a c")


def test_vocabulary_rejects_a_single_string():
    with pytest.raises(TypeError, match="single string"):
        Vocabulary("a whole sentence")


# -- bag of words --------------------------------------------------------------


def test_bag_of_words_counts_match_counter():
    texts = ["the cat saw the other cat", "a dog !", "the unknown thing"]
    vocab = Vocabulary(texts[:2], max_size=None)
    counts = bag_of_words(texts, vocab)
    assert counts.shape == (3, len(vocab)) and counts.dtype == np.float64, f"{counts.shape} {counts.dtype}"
    for row, text in enumerate(texts):
        expected = np.zeros(len(vocab))
        for token, c in Counter(tokenize(text)).items():
            expected[vocab.stoi.get(token, vocab.unk_index)] += c
        assert np.array_equal(counts[row], expected), f"row {row}: {counts[row]}, expected {expected}"
    assert counts[2, vocab.stoi["<unk>"]] == 2, "two unknown words should count in the <unk> column"
    binary = bag_of_words(texts, vocab, binary=True)
    assert np.array_equal(binary, (counts > 0).astype(float)), f"binary:\n{binary}"


def test_bag_of_words_drops_unknown_tokens_without_unk():
    vocab = Vocabulary(["a b"], specials=())
    assert bag_of_words(["a c c"], vocab).tolist() == [[1.0, 0.0]]


# -- corpus loaders ------------------------------------------------------------


def test_load_sst2_tsv(tmp_path):
    path = tmp_path / "train.tsv"
    path.write_text("sentence\tlabel\nit 's a charming journey . \t1\nflat , boring\t0\n\n", encoding="utf-8")
    texts, labels = load_sst2_tsv(path)
    assert texts == ["it 's a charming journey .", "flat , boring"], f"texts {texts}"
    assert labels.tolist() == [1, 0] and labels.dtype == np.int64, f"labels {labels} {labels.dtype}"


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("crlf", [False, True])
def test_load_sst2_tsv_reads_glue_files_with_or_without_bom_and_crlf(tmp_path, bom, crlf):
    folder = corpus_fixtures.sst2_files(tmp_path, n_train=120, bom=bom, crlf=crlf)
    raw = (folder / "train.tsv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom and (b"\r\n" in raw) == crlf, "fixture not in the format"
    texts, labels = load_sst2_tsv(folder / "train.tsv")
    want_texts, want_labels = corpus_fixtures.binary_sentences(120, 1)
    assert texts == want_texts, f"first texts {texts[:2]} vs {want_texts[:2]}"
    assert labels.tolist() == want_labels
    assert not any("\r" in t or "\ufeff" in t for t in texts), "a CR or BOM was left in a sentence"


def test_load_sst2_tsv_keeps_sentences_with_unicode_line_separators_whole(tmp_path):
    path = tmp_path / "dev.tsv"
    path.write_text("sentence\tlabel\na \u2028 b \x85 c\t1\nd\t0\n", encoding="utf-8")
    texts, labels = load_sst2_tsv(path)
    assert texts == ["a \u2028 b \x85 c", "d"] and labels.tolist() == [1, 0], texts


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        (
            "index\tsentence\n0\thello\n",
            r"has header 'index\\tsentence'.*GLUE test split, which has no labels",
        ),
        ("sentence\n0\thello\n", "GLUE test split"),
        ("hello world\t1\nbad film\t0\n", "has no header line"),
        ("hello world\nbad film\n", "use load_polarity_files"),
        ("sentence\tlabel\nhello\tpositive\n", "line 2 .* has label 'positive'; expected 0 or 1 after a tab"),
        ("sentence\tlabel\nhello\t1\nno tab here\n", "line 3 .* expected 0 or 1 after a tab"),
        ("sentence\tlabel\n", "no sentences"),
    ],
)
def test_load_sst2_tsv_errors(tmp_path, content, message):
    path = tmp_path / "dev.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_sst2_tsv(path)


@pytest.mark.parametrize("header", ["text\tlabel", "text\tscore", "label\tsentence", "a\tb\tc"])
def test_load_sst2_tsv_gives_no_hint_that_does_not_fit(tmp_path, header):
    path = tmp_path / "dev.tsv"
    path.write_text(f"{header}\nhello\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 'sentence\\\\tlabel'") as error:
        load_sst2_tsv(path)
    assert "(" not in str(error.value), f"a hint that does not fit: {error.value}"


def test_load_sst2_tsv_decode_error_names_file_and_line(tmp_path):
    path = tmp_path / "train.tsv"
    path.write_bytes(b"sentence\tlabel\ngood\t1\nna\xefve\t1\n")
    with pytest.raises(ValueError, match=r"line 3 of '.*train.tsv' cannot be decoded as utf-8-sig"):
        load_sst2_tsv(path)


def test_load_sst2_tsv_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.tsv"):
        load_sst2_tsv(tmp_path / "nope.tsv")


def _imdb(tmp_path, split="train"):
    for folder, reviews in {"pos": ["Great film.<br /><br />Loved it.", "Fine"], "neg": ["Awful."]}.items():
        directory = tmp_path / "aclImdb" / split / folder
        directory.mkdir(parents=True)
        for i, review in enumerate(reviews):
            (directory / f"{i}_{7 if folder == 'pos' else 2}.txt").write_text(review, encoding="utf-8")
    (tmp_path / "aclImdb" / split / "unsup").mkdir()
    return tmp_path / "aclImdb"


def test_load_imdb_folder(tmp_path):
    root = _imdb(tmp_path, "test")
    texts, labels = load_imdb_folder(root, split="test")
    assert texts == ["Awful.", "Great film.  Loved it.", "Fine"], f"texts {texts}"
    assert labels.tolist() == [0, 1, 1], f"labels {labels.tolist()}"
    raw, _ = load_imdb_folder(root, split="test", strip_html=False)
    assert "<br />" in raw[1], "strip_html=False should keep the markup"


def test_load_imdb_folder_errors(tmp_path):
    root = _imdb(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"test.neg.*expected the aclImdb layout"):
        load_imdb_folder(root, split="test")
    for file in (root / "train" / "neg").iterdir():
        file.unlink()
    with pytest.raises(ValueError, match=r"neg' contains no \.txt files"):
        load_imdb_folder(root)


def test_load_polarity_files(tmp_path):
    pos, neg = tmp_path / "rt-polarity.pos", tmp_path / "rt-polarity.neg"
    pos.write_bytes("a touching , naïve film .\n\nsimply wonderful .\n".encode("cp1252"))
    neg.write_bytes("dull .\n".encode("cp1252"))
    texts, labels = load_polarity_files(pos, neg)
    assert texts == ["a touching , naïve film .", "simply wonderful .", "dull ."], f"texts {texts}"
    assert labels.tolist() == [1, 1, 0], f"labels {labels.tolist()}"
    neg.write_text("\n \n", encoding="cp1252")
    with pytest.raises(ValueError, match="rt-polarity.neg' is empty"):
        load_polarity_files(pos, neg)
    with pytest.raises(FileNotFoundError, match="missing.neg"):
        load_polarity_files(pos, tmp_path / "missing.neg")


def test_load_polarity_files_reads_windows_1252_one_sentence_per_line(tmp_path):
    folder = corpus_fixtures.polarity_files(tmp_path)
    pos, neg = folder / "rt-polarity.pos", folder / "rt-polarity.neg"
    raw = pos.read_bytes()
    for byte in (b"\x85", b"\x96", b"\x97"):
        assert byte in raw, f"the fixture lacks byte {byte!r}"
    texts, labels = load_polarity_files(pos, neg)
    lines = {name: path.read_bytes().count(b"\n") for name, path in (("pos", pos), ("neg", neg))}
    assert np.bincount(labels).tolist() == [lines["neg"], lines["pos"]], "one sentence per line, no more"
    # Latin-1 reads 0x85 as U+0085, which splitlines() takes for a line break: one line too many per file.
    assert len(pos.read_text(encoding="latin-1").splitlines()) == lines["pos"] + 1
    extras = [t for t in texts if t.startswith(("the plot", "a film \u2013", "funny"))]
    assert extras[:3] == list(corpus_fixtures.CP1252_EXTRAS), extras
    assert not any(ch in t for t in texts for ch in "\x85\x96\x97"), "a control character was decoded"


def test_load_polarity_files_refuses_a_tsv_and_undecodable_bytes(tmp_path):
    folder = corpus_fixtures.sst2_files(tmp_path, n_train=20)
    with pytest.raises(ValueError, match=r"line 1 of '.*train.tsv' .*tabs.*load_sst2_tsv"):
        load_polarity_files(folder / "train.tsv", folder / "dev.tsv")
    pos, neg = tmp_path / "rt-polarity.pos", tmp_path / "rt-polarity.neg"
    pos.write_bytes(b"good .\nfine .\n")
    neg.write_bytes(b"bad .\nworse \x81 .\n")  # 0x81 is not a Windows-1252 character
    with pytest.raises(ValueError, match=r"line 2 of '.*rt-polarity.neg' cannot be decoded as cp1252"):
        load_polarity_files(pos, neg)


def test_load_imdb_folder_reads_the_aclimdb_layout(tmp_path):
    root = corpus_fixtures.imdb_folder(tmp_path, n=60)
    texts, labels = load_imdb_folder(root, split="test")
    files = sorted((root / "test" / "neg").glob("*.txt")) + sorted((root / "test" / "pos").glob("*.txt"))
    assert len(texts) == len(files) and labels.tolist() == [int(f.parent.name == "pos") for f in files]
    assert all("<br" not in t for t in texts), "the <br /> markup was left in"


# -- synthetic reviews: the data -----------------------------------------------


def test_synthetic_reviews_is_deterministic_and_documented():
    texts, labels = synthetic_reviews(n=300)
    again, labels_again = synthetic_reviews(n=300)
    other, _ = synthetic_reviews(n=300, seed=1)
    assert texts == again and np.array_equal(labels, labels_again), "seed=0 by default: same data each call"
    assert texts != other, "a different seed should give different sentences"
    assert len(texts) == 300 and labels.shape == (300,) and labels.dtype == np.int64, f"{labels.shape}"
    assert "SYNTHETIC" in SENTIMENT_README and "synthetic" in synthetic_reviews.__doc__.lower()


def test_synthetic_reviews_classes_and_vocabulary():
    texts, labels = synthetic_reviews()
    shares = np.bincount(labels, minlength=5) / len(labels)
    assert np.all((shares > 0.12) & (shares < 0.3)), (
        f"class shares {shares.round(3)}, expected roughly balanced"
    )
    vocab = Vocabulary(texts, max_size=None)
    assert 700 <= len(vocab) <= 800, f"{len(vocab)} distinct tokens (with <unk>), expected about 800"
    assert len(Vocabulary(texts)) == len(vocab), "the default max_size=800 should keep every token"


def _lexicon():
    scores = {}
    pools = [R.ADJECTIVES] + [topic["adjectives"] for topic in R.TOPICS.values()]
    for pool in pools:
        for score, words in pool.items():
            for word in words:
                scores[word] = score
    for score, pairs in R.VERBS.items():
        for past, base in pairs:
            scores[past] = scores[base] = score
    return scores


def _expected_label(text, lexicon):
    """The labelling rule of SENTIMENT_README, applied to the words of the sentence."""
    clause = tokenize(text.split(" but ")[-1])
    found = [lexicon[t] for t in clause if t in lexicon]
    if not found:
        return 2
    assert len(found) == 1, f"more than one sentiment word in {clause}"
    sign = 1 if found[0] > 0 else -1
    if any(t in ("not", "never", "hardly") for t in clause):
        return 2 - sign
    strong = abs(found[0]) == 2 or any(t in R.INTENSIFIERS for t in clause)
    return 2 + sign * (2 if strong else 1)


def test_synthetic_reviews_follow_the_documented_rule():
    texts, labels, structure = synthetic_reviews(n=3000, label_noise=0.0, return_structure=True)
    lexicon = _lexicon()
    wrong = [(t, int(y)) for t, y in zip(texts, labels, strict=True) if _expected_label(t, lexicon) != y]
    assert not wrong, f"{len(wrong)} labels break the rule, e.g. {wrong[:3]}"
    kinds = Counter(structure)
    assert set(kinds) == {"neutral", "plain", "intensified", "negated", "but"}, f"structures {kinds}"
    for text, kind in zip(texts, structure, strict=True):
        tokens = tokenize(text)
        assert (kind == "but") == ("but" in tokens), f"{kind!r} for {text!r}"
        if kind == "negated":
            assert {"not", "never", "hardly"} & set(tokens), f"'negated' without a negation: {text!r}"


def test_synthetic_reviews_label_noise_changes_labels_only():
    texts, noisy = synthetic_reviews(n=6000)
    clean_texts, clean = synthetic_reviews(n=6000, label_noise=0.0)
    assert texts == clean_texts, "label noise must not change the sentences"
    rate = np.mean(noisy != clean)
    assert 0.02 <= rate <= 0.04, f"{rate:.3%} of labels changed, expected about 3%"


def test_synthetic_reviews_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n must be a positive int"):
        synthetic_reviews(n=0)
    with pytest.raises(ValueError, match="label_noise"):
        synthetic_reviews(n=5, label_noise=1.5)


# -- synthetic reviews: a hidden layer is needed -------------------------------


def _train(torch, model, X, y, steps=200, lr=0.01):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-3)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    return model


def _accuracies(torch, X, y, structure, train, test):
    """Train both models on rows ``train``; their accuracy on rows ``test``, overall and by structure."""
    torch.manual_seed(0)
    vocab_size = X.shape[1]
    linear = torch.nn.Linear(vocab_size, 5)
    mlp = torch.nn.Sequential(torch.nn.Linear(vocab_size, 64), torch.nn.ReLU(), torch.nn.Linear(64, 5))
    kinds = structure[test]
    results = {}
    for name, model, lr in [("linear", linear, 0.01), ("mlp", mlp, 0.005)]:
        _train(torch, model, X[train], y[train], lr=lr)
        with torch.no_grad():
            correct = (model(X[test]).argmax(dim=1) == y[test]).numpy()
        results[name] = {"all": correct.mean()}
        results[name]["unnegated"] = correct[np.isin(kinds, ["neutral", "plain", "intensified"])].mean()
        for kind in ("neutral", "plain", "intensified", "negated", "but"):
            results[name][kind] = correct[kinds == kind].mean()
    return results


def test_a_hidden_layer_is_needed_for_negation():
    """Linear softmax regression vs a 1-hidden-layer MLP on binary bags of words (torch as the trainer).

    The linear model must be well above chance and good on unnegated sentences, yet fail on negated
    ones ("not good" vs "good" is an XOR of two words); the MLP must beat it by at least 5 points.
    """
    torch = pytest.importorskip("torch")
    texts, labels, structure = synthetic_reviews(return_structure=True)
    index = np.arange(len(texts))
    (train, _), (test, _) = train_test_split(index, labels, test=0.25, seed=0)
    vocab = Vocabulary([texts[i] for i in train])
    X = torch.tensor(bag_of_words(texts, vocab, binary=True), dtype=torch.float32)
    y = torch.tensor(labels)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small matrices: one thread is as fast, and never spins on a busy machine
    try:
        results = _accuracies(torch, X, y, np.array(structure), train, test)
    finally:
        torch.set_num_threads(threads)
    report = "\n".join(
        f"  {name:7s}" + "  ".join(f"{k} {v:.3f}" for k, v in accuracy.items())
        for name, accuracy in results.items()
    )
    print(f"\ntest accuracy by sentence structure (synthetic_reviews(), 25% test split):\n{report}")
    linear, mlp = results["linear"], results["mlp"]
    assert linear["all"] >= 0.6, (
        f"linear accuracy {linear['all']:.3f}, expected >= 0.6 (chance is 0.2)\n{report}"
    )
    assert mlp["all"] - linear["all"] >= 0.05, (
        f"MLP {mlp['all']:.3f} vs linear {linear['all']:.3f}: expected a gap of at least 5 points\n{report}"
    )
    assert linear["unnegated"] >= 0.85, (
        f"linear on unnegated sentences {linear['unnegated']:.3f} < 0.85\n{report}"
    )
    assert linear["negated"] <= 0.5, f"linear on negated sentences {linear['negated']:.3f} > 0.5\n{report}"
    assert mlp["negated"] >= 0.75, f"MLP on negated sentences {mlp['negated']:.3f} < 0.75\n{report}"


# -- sparse bags of words ---------------------------------------------------------


def _bags(n=400, max_size=300):
    texts, labels = synthetic_reviews(n, seed=7)
    vocab = Vocabulary(texts[: n // 2], max_size=max_size)
    return texts, labels, vocab


@pytest.mark.parametrize("binary", [False, True])
def test_sparse_bags_hold_the_dense_matrix(binary):
    texts, _, vocab = _bags()
    dense = bag_of_words(texts, vocab, binary=binary, dtype=np.float32)
    bags = bag_of_words(texts, vocab, binary=binary, dtype=np.float32, sparse=True)
    assert isinstance(bags, SparseBags) and bags.shape == dense.shape and len(bags) == len(dense)
    assert bags[:].dtype == np.float32 and np.array_equal(bags.toarray(), dense)
    rows = np.array([5, 0, 399, 5])
    assert np.array_equal(bags[rows], dense[rows]) and np.array_equal(bags[17], dense[17])
    assert np.array_equal(bags[10:20], dense[10:20]) and np.array_equal(
        bags[dense[:, 1] > 0], dense[dense[:, 1] > 0]
    )
    assert np.array_equal(bags.rows(rows)[:], dense[rows]) and np.array_equal(
        bags.rows(slice(3, 9))[:], dense[3:9]
    )
    assert bags.nbytes * 10 < dense.nbytes, f"{bags.nbytes} bytes sparse vs {dense.nbytes} dense"


def test_sparse_bags_class_sums_and_products_match_dense_numpy():
    texts, labels, vocab = _bags()
    dense = bag_of_words(texts, vocab)
    bags = bag_of_words(texts, vocab, sparse=True)
    want = np.stack([dense[labels == c].sum(axis=0) for c in range(5)])
    np.testing.assert_allclose(bags.sum_by_class(labels, 5), want)
    W = np.random.default_rng(0).normal(size=(len(vocab), 3))
    np.testing.assert_allclose(bags.matmul(W), dense @ W, rtol=1e-12)


def test_naive_bayes_on_sparse_bags_and_float32_equals_float64_dense():
    texts, labels, vocab = _bags()
    dense = bag_of_words(texts, vocab)
    reference = text_models.naive_bayes_fit(dense, labels, 5)
    for X in (bag_of_words(texts, vocab, sparse=True, dtype=np.float32), dense.astype(np.float32)):
        prior, likelihood = text_models.naive_bayes_fit(X, labels, 5)
        np.testing.assert_allclose(prior, reference[0])
        np.testing.assert_allclose(likelihood, reference[1], rtol=1e-12)
        assert likelihood.dtype == np.float64
        np.testing.assert_allclose(
            text_models.naive_bayes_log_joint(X, prior, likelihood),
            text_models.naive_bayes_log_joint(dense, *reference),
            rtol=1e-9,
        )


def test_training_on_sparse_bags_equals_training_on_the_dense_matrix():
    from nnlib import nn

    texts, labels, vocab = _bags(300, 120)
    dense = bag_of_words(texts, vocab, dtype=np.float32)
    sparse = bag_of_words(texts, vocab, dtype=np.float32, sparse=True)
    results = []
    for train, val in (
        (dense[:200], dense[200:]),
        (sparse.rows(slice(0, 200)), sparse.rows(slice(200, 300))),
    ):
        model = nn.Linear(len(vocab), 5, seed=0, dtype="float32")
        text_models.train_classifier(model, (train, labels[:200]), (val, labels[200:]), epochs=3, patience=5)
        results.append(np.asarray(model.weight.data).copy())
    np.testing.assert_array_equal(results[0], results[1])
