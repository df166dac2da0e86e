"""Synthetic five-class review sentences for sentiment classification.

Real corpora cannot be shipped or downloaded here, so module 08 uses
:func:`synthetic_reviews` by default (see :data:`SENTIMENT_README`), and
:mod:`nnlib.data.corpora` for corpora you have yourself.
"""

import numpy as np

from nnlib.seeding import generator

SENTIMENT_README = """\
Synthetic reviews (nnlib.data.synthetic_reviews) - SYNTHETIC DATA, NOT REAL REVIEWS.

Short English review sentences about movies, products and restaurants, made
from templates over a vocabulary of about 780 distinct tokens (words and
punctuation), each labelled with one of five classes:

    0 very negative   1 negative   2 neutral   3 positive   4 very positive

The label is a fixed function of how the sentence was built:

1. A sentiment word has a score: mild positive words ("good", "liked") +1,
   strong ones ("amazing", "loved") +2, mild negative ("bad", "disliked") -1,
   strong negative ("awful", "hated") -2. Neutral words ("okay", "average")
   and purely factual sentences ("i watched this comedy on friday .") score 0.
2. An intensifier ("very", "really", "extremely", ...) makes a mild word
   strong: "very good" +2, "really disliked" -2.
3. A negation ("not", "never", "hardly") flips the sign and leaves a mild
   score: "not good" -1, "not very good" -1, "never terrible" +1.
4. In "A , but B" only the clause after "but" counts: "the plot was dull ,
   but the acting was superb" is +2.
5. Hedges ("quite", "fairly", ...), names, topics, times and openers
   ("honestly ,") do not change the score. Label = score + 2.

Finally a small fraction of labels (``label_noise``, 3% by default) is
replaced by a different class drawn at random, as annotators make mistakes.

Mix (default): about 37% plain opinions, 20% intensified, 14% negated, 17%
neutral, 12% "A , but B". Classes are roughly balanced (18-21% each).

Why it is useful: a linear model on a bag of words sees "not" and "good" but
not that one modifies the other. "good" -> positive, "bad" -> negative, "not
good" -> negative and "not bad" -> positive is an XOR, which no linear model
can fit, so it handles unnegated sentences well and fails on negated ones; a
network with a hidden layer learns the interaction. Neither can tell "A , but
B" from "B , but A" from a bag of words: that needs word order (a sequence
model). Measured in nnlib's tests (n=6000, seed=0, 25% test split, binary
bag of words, 200 Adam steps each), test accuracy:

                      all   unnegated  negated  "but"
    linear (softmax)  0.77    0.92      0.25    0.44
    MLP, 64 hidden    0.89    0.95      0.87    0.49
"""

CLASS_NAMES = ("very negative", "negative", "neutral", "positive", "very positive")

# Sentiment adjectives by score: ADJECTIVES fit any topic, TOPICS[topic]["adjectives"] only one.
# Few sentiment words and many neutral ones (names, nouns, times) keep each sentiment word frequent.
ADJECTIVES = {
    2: (
        "amazing excellent brilliant wonderful fantastic superb outstanding incredible perfect stunning"
    ).split(),
    1: "good nice decent pleasant solid enjoyable fun charming lovely satisfying".split(),
    -1: "bad poor weak boring dull disappointing mediocre messy sloppy tedious".split(),
    -2: "awful terrible horrible dreadful atrocious abysmal unbearable appalling pathetic disastrous".split(),
}
NEUTRAL_ADJECTIVES = (
    "okay average ordinary standard typical acceptable adequate passable unremarkable moderate "
    "conventional routine so-so middling serviceable"
).split()

# Sentiment verbs by score: (past tense, base form).
VERBS = {
    2: [("loved", "love"), ("adored", "adore"), ("treasured", "treasure")],
    1: [("liked", "like"), ("enjoyed", "enjoy"), ("appreciated", "appreciate"), ("recommended", "recommend")],
    -1: [("disliked", "dislike"), ("regretted", "regret"), ("resented", "resent")],
    -2: [("hated", "hate"), ("despised", "despise"), ("loathed", "loathe"), ("detested", "detest")],
}

INTENSIFIERS = "very really extremely truly so super totally absolutely remarkably".split()
VERB_INTENSIFIERS = ["really", "truly", "totally", "absolutely"]
NEGATORS = ["not", "never", "hardly"]
HEDGES = "quite fairly rather somewhat pretty".split()
SAYING = "said thought felt claimed wrote mentioned insisted admitted".split()

# Per topic: things reviewed ("items"), their parts ("aspects"; plurals take "were"), places,
# neutral verbs for factual sentences, and sentiment adjectives that only fit this topic.
TOPICS = {
    "movie": {
        "items": (
            "movie film documentary thriller comedy drama musical western cartoon series show episode "
            "sequel remake romcom biopic blockbuster miniseries anime mockumentary"
        ).split(),
        "aspects": (
            "plot story acting cast script dialogue soundtrack ending director pacing cinematography "
            "editing lead villain hero trailer effects costumes humor twist characters performances "
            "camera music screenplay scenes finale opening premise animation direction lighting sound "
            "visuals stunts runtime subtitles narrator romance action chemistry score casting sets "
            "monologue flashbacks choreography protagonist sidekick cameo tone budget makeup credits "
            "setting dubbing"
        ).split(),
        "places": "cinema theater festival multiplex premiere drive-in screening matinee".split(),
        "facts": "watched saw streamed rented rewatched".split(),
        "adjectives": {
            2: "riveting gripping hilarious".split(),
            1: "entertaining amusing touching".split(),
            -1: "cliched overlong confusing".split(),
            -2: "unwatchable laughable incoherent".split(),
        },
    },
    "product": {
        "items": (
            "phone laptop blender vacuum headset headphones speaker charger keyboard mouse monitor printer "
            "router kettle toaster backpack jacket watch tablet lamp chair mattress drill microwave "
            "fridge stroller suitcase umbrella camera thermostat e-reader projector scooter treadmill "
            "sneakers toothbrush"
        ).split(),
        "aspects": (
            "battery screen price design delivery packaging manual warranty build finish handle buttons "
            "cable case lid strap fabric display software app setup installation motor fit color size "
            "weight zipper hinge sensor touchpad lens charging speakers wheels remote cover pump filter "
            "blade microphone keys bristles sole lock"
        ).split(),
        "places": "store shop mall website market outlet warehouse showroom pharmacy".split(),
        "facts": "bought ordered received returned unboxed".split(),
        "adjectives": {
            2: "indispensable ingenious unbeatable".split(),
            1: "sturdy practical reliable".split(),
            -1: "flimsy bulky noisy".split(),
            -2: "defective unusable faulty".split(),
        },
    },
    "restaurant": {
        "items": (
            "restaurant bistro diner cafe pizzeria bakery steakhouse pub tavern canteen buffet brasserie "
            "trattoria brewery taqueria noodle-bar teahouse creperie food-truck"
        ).split(),
        "aspects": (
            "food service waiter waitress staff chef menu pasta pizza soup salad burger fries steak "
            "dessert coffee wine beer bread sushi curry noodles tacos portions prices decor atmosphere "
            "terrace bathroom table view risotto pancakes omelette lasagna dumplings ramen bartender "
            "cocktails brunch waffles gelato kebab appetizers lemonade paella"
        ).split(),
        "places": "harbor station airport campus square riverside beach hotel".split(),
        "facts": "visited tried booked reviewed reserved".split(),
        "adjectives": {
            2: "delicious exquisite heavenly".split(),
            1: "tasty fresh friendly".split(),
            -1: "bland greasy stale".split(),
            -2: "inedible filthy rancid".split(),
        },
    },
}
PLURAL_ASPECTS = frozenset(
    "effects costumes characters performances scenes visuals stunts subtitles sets flashbacks credits "
    "buttons speakers wheels keys bristles appetizers sneakers fries noodles tacos portions prices "
    "pancakes dumplings cocktails waffles".split()
)

NAMES = (
    "anna ben carla david emma farid grace hugo ines jack kim liam maya noah olga pablo quinn rosa sam "
    "tara umar vera will xena yusuf zoe aisha boris chloe diego elena felix gina hassan ivy jonas kenji "
    "lucia marco nadia oscar priya ravi sofia tomas ursula victor wendy yara zara amir bella carlos "
    "daria ethan fatima george hana igor julia karl leila mateo nina omar paula rafael selma theo "
    "valentina wei xavier yuki aaron beatriz cyrus dmitri eva fiona gustavo helga ibrahim joao kofi "
    "lars mei nikolai ola pierre rania stefan tatiana uri agnes bruno camila dario esther filip "
    "gloria henrik irene jamal katya lorenzo miriam nils oliver petra rashid simone tobias viktor "
    "ahmed bianca cedric dora emil freya giorgio hiro isabel jorge kalani lena milan nora "
    "orla pedro rosalind sven thea ulrich vanessa wanda yannick zeynep adele bernard clara dev "
    "elif farah gunnar holly idris jade kasper lina marek noor otto pia quentin rita soren tess "
    "umberto vilma walter ximena yosef zelda alma bjorn celine dante elsa fabio greta hamid ilse "
    "jasper kira luca marta nico odette paolo ruth saul tilda aurora boaz cosima dagny edgar flora "
    "gideon hedda ingrid jonah klaus leon magnus nadine ophelia pavel rupert stella tarek ulla"
).split()
RELATIVES = (
    "sister brother mother father mom dad wife husband partner friend roommate neighbor boss colleague "
    "cousin uncle aunt grandmother grandfather son daughter girlfriend boyfriend coworker teacher "
    "landlord nephew niece classmate stepmother godfather flatmate therapist dentist"
).split()
OPENERS = [
    "honestly",
    "overall",
    "frankly",
    "personally",
    "to be fair",
    "in my opinion",
    "i think",
    "i guess",
    "if you ask me",
    "all in all",
    "to be honest",
    "in short",
    "well",
    "apparently",
    "as expected",
    "surprisingly",
    "for the record",
    "in the end",
    "long story short",
    "for what it is worth",
    "believe me",
    "first of all",
    "update",
    "quick review",
    "no spoilers",
    "in a nutshell",
    "full disclosure",
    "just saying",
    "as a parent",
    "as a student",
    "on balance",
]
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
MONTHS = "january february march april may june july august september october november december".split()
TIMES = (
    ["yesterday", "today", "tonight", "recently", "twice", "again", "after work", "during the holidays"]
    + ["before lunch", "after dinner", "for my birthday", "on vacation", "with my family", "with friends"]
    + [f"last {w}" for w in "week month year night weekend summer winter".split()]
    + [f"this {w}" for w in "morning afternoon evening weekend spring autumn".split()]
    + [f"on {d}" for d in WEEKDAYS]
    + [f"in {m}" for m in MONTHS]
)
NUMBERS = (
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty".split()
)
# Factual amounts per topic: (verbs, units).
AMOUNTS = {
    "movie": (["lasted", "took"], ["hours", "minutes"]),
    "product": (["cost"], ["dollars", "euros", "pounds"]),
    "restaurant": (["cost"], ["dollars", "euros", "pounds"]),
}


# How often each construction is used: "but" sentences among all; neutral clauses among single
# clauses; strong words, then negated (separately for mild and strong words) and intensified among
# opinion clauses. Negation mostly meets mild words: "not good" vs "good" is what a linear model
# cannot learn, while plain sentences stay frequent enough for it to learn each word's polarity.
MIX = {
    "but": 0.12,
    "neutral": 0.2,
    "strong": 0.35,
    "negated": 0.25,
    "negated_strong": 0.1,
    "intensified": 0.35,
}


def _pick(rng, options):
    return options[rng.integers(len(options))]


def _subject(rng, topic):
    """A noun phrase about ``topic`` and its verb "was"/"is" (or "were"/"are" for plurals)."""
    t = TOPICS[topic]
    aspect, item, form = _pick(rng, t["aspects"]), _pick(rng, t["items"]), rng.integers(5)
    plural = aspect in PLURAL_ASPECTS and form in (0, 1, 3)
    verb = _pick(rng, ["were", "are"] if plural else ["was", "is"])
    if form == 0:
        return f"the {aspect}", verb
    if form == 1:
        return f"the {aspect} of this {item}", verb
    if form == 2:
        return f"this {item}", verb
    if form == 3:
        return f"the {aspect} at the {_pick(rng, t['places'])}", verb
    return "it", verb


def _person(rng):
    form = rng.integers(4)
    if form == 0:
        return "i"
    if form == 1:
        return "we"
    if form == 2:
        return _pick(rng, NAMES)
    return f"my {_pick(rng, RELATIVES)}"


def _opinion_clause(rng, topic, score, negated, intensified):
    """A clause whose sentiment word has ``score``, with a negation and/or an intensifier before it."""
    if rng.uniform() < 0.3:  # a verb: "i really loved the soup"
        past, base = _pick(rng, VERBS[score])
        obj, _ = _subject(rng, topic)
        intensifier = _pick(rng, VERB_INTENSIFIERS) + " " if intensified else ""
        who = _person(rng)
        if not negated:
            return f"{who} {intensifier}{past} {obj}"
        negator = _pick(rng, NEGATORS)
        if negator == "not":
            return f"{who} did not {intensifier}{base} {obj}"
        return f"{who} {negator} {intensifier}{past} {obj}"
    pool = TOPICS[topic]["adjectives"][score] if rng.uniform() < 0.4 else ADJECTIVES[score]
    intensifier = _pick(rng, INTENSIFIERS) + " " if intensified else ""
    hedge = _pick(rng, HEDGES) + " " if not intensified and abs(score) == 1 and rng.uniform() < 0.15 else ""
    negation = _pick(rng, NEGATORS) + " " if negated else ""
    words = f"{negation}{intensifier}{hedge}{_pick(rng, pool)}"
    subject, verb = _subject(rng, topic)
    form = rng.integers(4)
    if form == 0 and negation in ("", "not "):
        return f"i found {subject} {words}"
    if form == 1:
        return f"{_pick(rng, NAMES)} {_pick(rng, SAYING)} {subject} {verb} {words}"
    return f"{subject} {verb} {words}"


def _neutral_clause(rng, topic):
    """A clause that scores 0: a neutral adjective or a plain fact."""
    t = TOPICS[topic]
    form = rng.integers(4)
    if form == 0:
        subject, verb = _subject(rng, topic)
        hedge = _pick(rng, HEDGES) + " " if rng.uniform() < 0.4 else ""
        return f"{subject} {verb} {hedge}{_pick(rng, NEUTRAL_ADJECTIVES)}"
    if form == 1:
        verbs, units = AMOUNTS[topic]
        return f"this {_pick(rng, t['items'])} {_pick(rng, verbs)} {_pick(rng, NUMBERS)} {_pick(rng, units)}"
    where = f" at the {_pick(rng, t['places'])}" if rng.uniform() < 0.5 else ""
    return f"{_person(rng)} {_pick(rng, t['facts'])} the {_pick(rng, t['items'])}{where} {_pick(rng, TIMES)}"


def _clause(rng, topic, polarity=None):
    """Return (text, score, kind): an opinion clause (of the given sign, if any) or a neutral one."""
    if polarity is None and rng.uniform() < MIX["neutral"]:
        return _neutral_clause(rng, topic), 0, "neutral"
    strength = 2 if rng.uniform() < MIX["strong"] else 1
    negated = rng.uniform() < MIX["negated" if strength == 1 else "negated_strong"]
    intensified = rng.uniform() < MIX["intensified"]
    sign = polarity if polarity is not None else (1 if rng.uniform() < 0.5 else -1)
    word_sign = -sign if negated else sign  # negation flips the word's sign
    text = _opinion_clause(rng, topic, word_sign * strength, negated, intensified)
    magnitude = 2 if (strength == 2 or intensified) else 1
    score = sign * (1 if negated else magnitude)
    kind = "negated" if negated else ("intensified" if intensified else "plain")
    return text, score, kind


def synthetic_reviews(n=6000, seed=0, label_noise=0.03, return_structure=False):
    """Make ``n`` synthetic review sentences with five sentiment classes.

    SYNTHETIC DATA: generated from templates, see :data:`SENTIMENT_README` for
    the exact labelling rule. Classes: 0 very negative, 1 negative, 2 neutral,
    3 positive, 4 very positive (:data:`CLASS_NAMES`). With the default
    :data:`MIX` about 37% of the sentences are plain opinions ("the soup was
    good"), 20% intensified ("very good"), 14% negated ("not good"), 17%
    neutral and 12% of the form "A , but B", where only B decides the label.
    A fraction ``label_noise`` of the labels is replaced by another class at
    random; the sentences do not depend on ``label_noise``.

    Returns ``(texts, labels)``: a list of ``n`` lower-case strings (tokens
    separated by spaces) and an int64 array of shape (n,). With
    ``return_structure=True`` also a list of tags describing each sentence,
    one of "neutral", "plain", "intensified", "negated" and "but".
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"synthetic_reviews: n must be a positive int, got {n!r}.")
    if not 0.0 <= label_noise < 1.0:
        raise ValueError(f"synthetic_reviews: label_noise must be in [0, 1), got {label_noise!r}.")
    rng = generator(seed)
    topics = list(TOPICS)
    texts, labels, structure = [], [], []
    for _ in range(n):
        topic = _pick(rng, topics)
        if rng.uniform() < MIX["but"]:
            first, first_score, _ = _clause(rng, topic, polarity=_pick(rng, [-1, 1]))
            second, score, _ = _clause(rng, topic, polarity=-1 if first_score > 0 else 1)
            comma = " ," if rng.uniform() < 0.7 else ""
            text, kind = f"{first}{comma} but {second}", "but"
        else:
            text, score, kind = _clause(rng, topic)
        if rng.uniform() < 0.25:
            text = f"{_pick(rng, OPENERS)} , {text}"
        text += _pick(rng, [" .", " .", " .", " !"])
        label = score + 2
        # Both numbers are drawn for every sentence, so the texts never depend on label_noise.
        noisy, shift = rng.uniform() < label_noise, rng.integers(1, 5)
        if noisy:
            label = (label + shift) % 5
        texts.append(text)
        labels.append(label)
        structure.append(kind)
    labels = np.array(labels, dtype=np.int64)
    return (texts, labels, structure) if return_structure else (texts, labels)
