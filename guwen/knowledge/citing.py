"""Which articles a lawyer would cite for a question: a model learned from published answers.

Training reads questions whose published answer cites shipped articles (the consultation corpus
outside the repository) and keeps only statistics: for each word, the articles whose citing
questions use it and how strongly (the sum of those questions' TF-IDF weights, so the score of an
article for a new question is the summed similarity to every training question that cited it), and
for each category the articles its answers cite most, and for each hand-written matter of
topics.txt (below) the articles the answers to the questions naming it cite most, and for each
article the words of its citing questions with summed weights (``expansion``: read with the
article's own text by ``ExpandedStatutes``, a BM25 that finds an article by the words residents use
for it and an article no answer cited by its own), and, when the sentence embedding is available,
each article's vector and its citing questions' mean vector (``dense``, citing_vectors.py). No
question or answer text is kept: the artefact is a gzip'd JSON of words, article numbers, weights
and those aggregate vectors.

Beside it, data/citing/topics.txt holds matters written by hand from the statutes (高空抛物 →
民法典 1254): what the corpus cites is not always what a lawyer should (its answers cite 民法典 579
for unpaid wages more often than 劳动合同法 30). data/citing/repealed.tsv maps the articles of laws
the 民法典 repealed that answers cite (合同法第九十四条 → 民法典 563), so training reads them as
citations of the articles that replaced them. A law revised since the answers were written keeps its
earlier text beside the current one (治安管理处罚法, 2012 and 2025): training reads the answers'
citations of it by the text then in force (``CORPUS_WRITTEN_BY``), so 治安管理处罚法第四十三条 is
the 2012 article on 殴打他人, not the 2025 article of that number, and ``current_equivalents``
names the current article that took its place.

selectors.likely_articles mixes these with the category, the full-text search of the statutes and
the deployment's own earlier answers (``combine``), each signal scaled to its best article first,
and shows the best of them (``spread``). The weights were fitted by a logistic regression over the
signals of each candidate article, out of fold, and the rule of ``spread`` chosen, by 5-fold
cross-validation on the training part of the corpus; bench_suggestions.py measures them on the
held-out part.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

from guwen.knowledge import citing_vectors
from guwen.knowledge.citations import parse_citations
from guwen.knowledge.text import DATA_DIR, STOPWORDS, normalize, segment

log = logging.getLogger(__name__)

MODEL_PATH = DATA_DIR / "citing" / "citing.json.gz"
# 2: the per-matter article shares ("matters") were added; 3: the words of each article's citing
# questions ("expansion"); 4: the articles' and their citing questions' vectors ("dense", None when
# trained without the embedding). A file of an earlier format is retrained.
ARTEFACT_FORMAT = 4
RETRAIN = "python manage.py train_citing"

# Per word, only the strongest articles are kept (the rest change no top five on the training
# part) and words seen in fewer than MIN_DF citing questions are dropped: the artefact stays small.
MAX_ARTICLES_PER_TERM = 60
MIN_DF = 2
CATEGORY_ARTICLES = 40
MATTER_ARTICLES = 20
# The expanded statutes (``expanded_scores``): BM25 over each current article's own words plus the
# words of the training questions whose answers cite it, weighted as ``terms`` weighs an answer's
# articles. b = 0.3: an article many questions cite has a long "document" that is long because
# residents keep asking about it, which full length normalisation would punish. Chosen with the
# weight in selectors.WEIGHTS on the folds of the training part (docs/performance.md).
EXPANDED_K1 = 1.2
EXPANDED_B = 0.3
EXPANDED_CANDIDATES = 60

# The five shown: the FIRST_SHOWN best articles, then the best article of each of the LAWS_SHOWN
# strongest laws not among them yet (a law scoring under LAW_LEAST of the strongest law's score is
# left out), then the best of the rest. Chosen by 5-fold cross-validation on the training part
# (docs/performance.md): with the fitted weights, three best articles and up to five other laws
# (each at least a tenth of the strongest) gave law@5 90 % against 87 % for four and three (5 %),
# at the same article@5; a law too weak to pass the tenth leaves its place to the strongest law's
# next article.
FIRST_SHOWN = 3
LAWS_SHOWN = 5
LAW_LEAST = 0.1
# An article a hand-written matter names keeps its place when it is among the KEPT_WITHIN best
# (unpaid wages: 劳动合同法 30 beside 82); on the folds this changed no figure by more than noise.
KEPT_WITHIN = 4
# The first article of each matter a question names (no written contract: 劳动合同法 82; unpaid
# wages: 30) is shown when it is among the NAMED_WITHIN best, for at most NAMED_MOST matters, in
# place of the lowest-ranked other article: a question naming two matters is shown the article each
# turns on. On the folds within noise of the rule above alone (45.3 % / 91.2 % against 44.8 % /
# 91.8 %; held out 48.7 % / 92.3 % against 48.7 % / 92.6 %).
NAMED_WITHIN = 15
NAMED_MOST = 2
# Words of a question the model reads: the first MAX_CHARS characters.
MAX_CHARS = 2_000
# The published answers of the consultation corpus were written before the 2025 text of
# 治安管理处罚法 took effect (2026-01-01): they cite it by the 2012 text's numbers (第四十二条 威胁、
# 侮辱, 第四十三条 殴打), which in the 2025 text are other articles (擅自进入铁路防护网, 电网). Training
# reads their citations by the texts in force on this day (train_citing --written-by).
CORPUS_WRITTEN_BY = date(2025, 12, 31)
# An earlier text's article and the current article that took its place: the current article whose
# text shares the most character pairs with it (cosine), when that is at least EQUIVALENT_LEAST
# (2012 → 2025: 43 → 51 at 0.96, 58 噪声 → 88 at 0.48; an article the revision dropped has none).
EQUIVALENT_LEAST = 0.4


# --- words ----------------------------------------------------------------------------------------


def words(text: str | None) -> Counter:
    """Word counts of ``text`` (rjieba search mode, stop words and one-character words dropped)."""
    counts: Counter = Counter()
    for word in segment(text, limit=MAX_CHARS):
        if len(word) < 2 or word in STOPWORDS or word.isdigit():
            continue
        counts[word] += 1
    return counts


def _weighted(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF over the known words, L2-normalised (empty when nothing is known)."""
    vector = {word: (1 + math.log(n)) * idf[word] for word, n in counts.items() if word in idf}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {word: value / norm for word, value in vector.items()} if norm else {}


# --- training -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedQuestion:
    """A training question and the articles its published answer cites, as (law code, number)."""

    question: str
    articles: tuple[tuple[str, int], ...]
    category: str = ""


class ShippedLaws:
    """Citation parsing against the shipped statute files, without a database (training runs
    before ``migrate`` in ``make install``): alias → law code, and the articles that exist. A law
    shipped in two texts (治安管理处罚法, 2012 and 2025) is read as the newest text in force on
    ``as_of``, the current one when None; a law with no text in force then as its earliest."""

    def __init__(self, laws=None, *, as_of: date | None = None):
        from guwen.knowledge.statutes import read_laws

        laws = laws if laws is not None else read_laws()
        self.titles: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.articles: set[tuple[str, int]] = set()
        for law in current_laws(laws, as_of=as_of):
            self.titles[law.code] = law.title
            for alias in [law.title, law.short_title, *law.aliases]:
                self.aliases.setdefault(alias, law.code)
                # Text is NFKC-normalised before parsing: （一） is read as (一).
                self.aliases.setdefault(normalize(alias), law.code)
            self.articles.update((law.code, article.number) for article in law.articles)

    @cached_property
    def repealed(self) -> dict[tuple[str, int], tuple[str, int]]:
        """(repealed law, article) → the shipped 民法典 article that replaced it (repealed.tsv)."""
        code = self.aliases.get("民法典")
        if code is None:  # a subset of the statutes without the 民法典: nothing to map to
            return {}
        return {old: (code, number) for old, number in read_repealed(self.articles, code).items()}

    def cited(self, text: str | None, *, only_repealed: bool = False) -> tuple[tuple[str, int], ...]:
        """The shipped articles ``text`` cites, in order, without repeats; a citation of a law the
        民法典 repealed counts as one of the article that replaced it, when repealed.tsv has it
        (合同法第九十四条 → 民法典 563). ``only_repealed``: those replacements alone."""
        if not text:
            return ()
        matches = parse_citations(normalize(text), (*self.aliases, *REPEALED_LAWS))
        pairs = []
        for match in matches:
            if match.alias in self.aliases:
                if not only_repealed:
                    pairs.append((self.aliases[match.alias], match.number))
            elif (match.alias, match.number) in self.repealed:
                pairs.append(self.repealed[(match.alias, match.number)])
        return tuple(dict.fromkeys(pair for pair in pairs if pair in self.articles))


# The laws the 民法典 replaced on 2021-01-01, as answers name them (劳动合同法 is read as itself:
# the longer name wins where both match).
REPEALED_LAWS = (
    "合同法",
    "婚姻法",
    "侵权责任法",
    "物权法",
    "担保法",
    "民法总则",
    "民法通则",
    "继承法",
    "收养法",
)
REPEALED_PATH = DATA_DIR / "citing" / "repealed.tsv"


def read_repealed(
    articles: set[tuple[str, int]], code: str, path: Path | None = None
) -> dict[tuple[str, int], int]:
    """repealed.tsv as (repealed law, article) → 民法典 article number (law ``code``). A line naming
    another law, a bad number or a 民法典 article that ``articles`` lacks is a bug of the file and
    fails loudly."""
    path = path or REPEALED_PATH
    found: dict[tuple[str, int], int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].strip().isdigit() or not parts[2].strip().isdigit():
            raise ValueError(f"repealed.tsv:{number}: expected 旧法名<TAB>条<TAB>民法典条")
        law, old, new = parts[0].strip(), int(parts[1]), int(parts[2])
        if law not in REPEALED_LAWS:
            raise ValueError(f"repealed.tsv:{number}: {law!r} is not a law the 民法典 repealed")
        if (code, new) not in articles:
            raise ValueError(f"repealed.tsv:{number}: 民法典 has no article {new}")
        if (law, old) in found:
            raise ValueError(f"repealed.tsv:{number}: {law} {old} is listed twice")
        found[(law, old)] = new
    return found


def read_cited(rows: Iterable[dict], laws: ShippedLaws) -> list[CitedQuestion]:
    """Training questions from corpus rows (``question``, ``answer``, optional ``category``): only
    those whose answer cites at least one shipped article."""
    found = []
    for row in rows:
        question, answer = row.get("question"), row.get("answer")
        if not isinstance(question, str) or not isinstance(answer, str):
            continue
        cited = laws.cited(answer)
        if cited:
            found.append(CitedQuestion(question, cited, str(row.get("category") or "")))
    return found


def matters_of(text: str | None) -> list[str]:
    """The matters of topics.txt ``text`` names, each by its first word (高空抛物)."""
    clean = normalize(text)[:MAX_CHARS] if text else ""
    if not clean:
        return []
    return [matter[0] for matter, _ in topics() if _names(clean, matter)]


def named_first(text: str | None) -> list[str]:
    """ "law-code:number" of the first article of each matter of topics.txt ``text`` names, in the
    file's order, without repeats."""
    clean = normalize(text)[:MAX_CHARS] if text else ""
    if not clean:
        return []
    firsts = (f"{code}:{number}" for matter, ((code, number), *_) in topics() if _names(clean, matter))
    return list(dict.fromkeys(firsts))


def _names(clean: str, matter: tuple[str, ...]) -> bool:
    # 拖欠+工资: every part somewhere in the question (拖欠了我三个月的工资).
    return any(all(part in clean for part in word.split("+")) for word in matter)


def fit(examples: list[CitedQuestion], *, note: str = "", dense: dict | None = None) -> dict:
    """The artefact: idf per word, article weights per word, article shares per category and per
    hand-written matter; ``dense``: citing_vectors.build's vectors for the same examples, if any."""
    counted = [words(example.question) for example in examples]
    df: Counter = Counter()
    for counts in counted:
        df.update(counts.keys())
    n = len(examples)
    idf = {word: math.log((1 + n) / (1 + d)) + 1 for word, d in df.items() if d >= MIN_DF}
    by_term: dict[str, Counter] = defaultdict(Counter)
    by_category: dict[str, Counter] = defaultdict(Counter)
    by_matter: dict[str, Counter] = defaultdict(Counter)
    by_article: dict[str, Counter] = defaultdict(Counter)  # the words of an article's citing questions
    naming: Counter = Counter()  # questions naming each matter
    for example, counts in zip(examples, counted, strict=True):
        named = matters_of(example.question)
        naming.update(named)
        for matter in named:
            for article in example.articles:
                by_matter[matter][f"{article[0]}:{article[1]}"] += 1 / math.sqrt(len(example.articles))
        vector = _weighted(counts, idf)
        # An answer citing ten articles says less about each than one citing two; the first cited
        # is usually the one the answer rests on.
        share = 1 / math.sqrt(len(example.articles))
        for position, article in enumerate(example.articles):
            key = f"{article[0]}:{article[1]}"
            weight = share * (1.0 if position == 0 else 0.8)
            for word, value in vector.items():
                by_term[word][key] += value * weight
            for word, count in counts.items():
                if word in idf:  # a word fewer than MIN_DF citing questions use is not kept
                    by_article[key][word] += count * weight
            if example.category:
                by_category[example.category][key] += weight
    terms = {
        word: [[key, round(value, 4)] for key, value in counter.most_common(MAX_ARTICLES_PER_TERM)]
        for word, counter in by_term.items()
    }
    categories = {}
    for name, counter in by_category.items():
        total = sum(counter.values())
        top = counter.most_common(CATEGORY_ARTICLES)
        categories[name] = [[key, round(value / total, 4)] for key, value in top]
    # What the answers to the questions naming a matter cite, as a share of those questions: the
    # hand-written articles of a matter say what a lawyer should cite, these what answers did.
    matters = {
        name: [[key, round(value / naming[name], 4)] for key, value in counter.most_common(MATTER_ARTICLES)]
        for name, counter in by_matter.items()
    }
    # Per article, its citing questions' words and how often, summed: no order, no sentence.
    expansion = {
        key: sorted([word, round(value, 3)] for word, value in counter.items())
        for key, counter in by_article.items()
    }
    return {
        "meta": {"format": ARTEFACT_FORMAT, "n_train": n, "note": note},
        "idf": {word: round(value, 4) for word, value in idf.items()},
        "terms": terms,
        "categories": categories,
        "matters": matters,
        "expansion": expansion,
        "dense": dense,
    }


def save(artefact: dict, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(artefact, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0: the same model gives the same bytes, so retraining unchanged data changes no file.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(data)
    return path.stat().st_size


# --- prediction -----------------------------------------------------------------------------------


class CitingModelError(RuntimeError):
    pass


def load(path: Path | None = None) -> dict:
    path = path or MODEL_PATH
    try:
        with gzip.open(path, "rb") as handle:
            artefact = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError, EOFError) as exc:
        raise CitingModelError(f"引用模型无法读取：{path}（{exc}）") from exc
    if not isinstance(artefact, dict) or artefact.get("meta", {}).get("format") != ARTEFACT_FORMAT:
        raise CitingModelError(f"引用模型格式不符：{path}")
    return artefact


@lru_cache(maxsize=1)
def _shipped() -> dict | None:
    try:
        return load()
    except CitingModelError:
        log.exception("citing model unavailable; suggestions use search alone")
        return None


def forget() -> None:
    _shipped.cache_clear()


def _scaled(scores: dict[str, float]) -> dict[str, float]:
    best = max(scores.values(), default=0.0)
    return {key: value / best for key, value in scores.items()} if best > 0 else {}


def learned_scores(text: str | None, artefact: dict | None = None) -> dict[str, float]:
    """ "law-code:number" → the model's score for ``text`` (unscaled)."""
    artefact = artefact if artefact is not None else _shipped()
    if not artefact:
        return {}
    vector = _weighted(words(text), artefact["idf"])
    scores: dict[str, float] = defaultdict(float)
    terms = artefact["terms"]
    for word, value in vector.items():
        for key, weight in terms.get(word, ()):
            scores[key] += value * weight
    return dict(scores)


class ExpandedStatutes:
    """BM25 over the current statutes, each article's words joined by the words residents used in
    the training questions whose answers cite it (the artefact's ``expansion``): an article reads
    as the questions it answers, and an article no answer cited is still found by its own words."""

    def __init__(self, laws, expansion: dict, *, earlier=(), k1: float = EXPANDED_K1, b: float = EXPANDED_B):
        documents: dict[str, Counter] = {}
        for law in laws:
            for article in law.articles:
                documents[f"{law.code}:{article.number}"] = words(article.text)
        # An earlier text's article (``earlier``: laws not in force) only when answers cite it.
        for law in earlier:
            for article in law.articles:
                if f"{law.code}:{article.number}" in expansion:
                    documents[f"{law.code}:{article.number}"] = words(article.text)
        for key, entries in expansion.items():
            if key in documents:
                documents[key].update(dict(entries))
        frequency: Counter = Counter()
        for counts in documents.values():
            frequency.update(counts.keys())
        n = len(documents)
        self.idf = {word: math.log(1 + (n - d + 0.5) / (d + 0.5)) for word, d in frequency.items()}
        average = sum(sum(counts.values()) for counts in documents.values()) / max(1, n)
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for key, counts in documents.items():
            norm = k1 * (1 - b + b * sum(counts.values()) / average) if average else k1
            for word, count in counts.items():
                # The BM25 term weight of the word in this article, idf applied at query time.
                postings[word].append((key, count * (k1 + 1) / (count + norm)))
        # Per word, the articles and their weights as a packed array: the index of 230,000 postings
        # takes about 9 MB where lists of pairs took 23.
        self.postings: dict[str, tuple[tuple[str, ...], array]] = {
            word: (tuple(key for key, _ in pairs), array("d", (weight for _, weight in pairs)))
            for word, pairs in postings.items()
        }

    def scores(self, text: str | None) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        for word in words(text):
            idf = self.idf.get(word)
            if idf is None:
                continue
            keys, weights = self.postings[word]
            for key, weight in zip(keys, weights, strict=True):
                scores[key] += idf * weight
        return dict(scores)


# The expanded statutes of the artefacts in use (the shipped one, a benchmark's own): built once
# each from the shipped texts, keyed by the artefact's identity and holding it so the key stays its.
_EXPANDED: dict[int, tuple[dict, ExpandedStatutes]] = {}


def _expanded(artefact: dict) -> ExpandedStatutes:
    held = _EXPANDED.get(id(artefact))
    if held is None or held[0] is not artefact:
        if len(_EXPANDED) >= 2:
            _EXPANDED.clear()
        from guwen.knowledge.statutes import read_laws

        laws = read_laws()
        current = current_laws(laws)
        in_force = {law.code for law in current}
        earlier = [law for law in laws if law.code not in in_force]
        expanded = ExpandedStatutes(current, artefact["expansion"], earlier=earlier)
        held = _EXPANDED[id(artefact)] = (artefact, expanded)
    return held[1]


def _pairs(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(count * b[pair] for pair, count in a.items() if pair in b)
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@lru_cache(maxsize=1)
def current_equivalents() -> dict[tuple[str, int], tuple[str, int]]:
    """(law code, number) of each article of a shipped earlier text → the current text's article
    that took its place, matched by their texts (EQUIVALENT_LEAST); computed once per process."""
    from guwen.knowledge.statutes import read_laws

    laws = read_laws()
    current = {law.title: law for law in current_laws(laws)}
    found: dict[tuple[str, int], tuple[str, int]] = {}
    for law in laws:
        newer = current.get(law.title)
        if newer is None or newer.code == law.code:
            continue
        candidates = [(article.number, _pairs(normalize(article.text))) for article in newer.articles]
        for article in law.articles:
            pairs = _pairs(normalize(article.text))
            score, number = max(((_cosine(pairs, other), n) for n, other in candidates), default=(0.0, 0))
            if score >= EQUIVALENT_LEAST:
                found[(law.code, article.number)] = (newer.code, number)
    return found


def current_laws(laws=None, *, as_of: date | None = None) -> list:
    """The shipped statutes in force (``laws``: read_laws() unless given), in their order: the 2012
    and 2025 texts of one law share its name, and the newest text in force on ``as_of`` (today's
    when None) is the law's; a law with no text in force then is read as its earliest."""
    from guwen.knowledge.statutes import read_laws

    def rank(law) -> tuple[bool, int]:
        if as_of is None or law.effective_date <= as_of:
            return True, law.effective_date.toordinal()
        return False, -law.effective_date.toordinal()

    current: dict[str, object] = {}
    for law in laws if laws is not None else read_laws():
        if law.title not in current or rank(law) > rank(current[law.title]):
            current[law.title] = law
    return list(current.values())


def expanded_scores(text: str | None, artefact: dict | None = None) -> dict[str, float]:
    """ "law-code:number" → BM25 of ``text`` against the article's words and its citing questions'
    words, the EXPANDED_CANDIDATES best."""
    artefact = artefact if artefact is not None else _shipped()
    if not artefact or not text:
        return {}
    scores = _expanded(artefact).scores(text)
    return dict(sorted(scores.items(), key=lambda item: -item[1])[:EXPANDED_CANDIDATES])


def dense_scores(text: str | None, artefact: dict | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """ "law-code:number" → score for ``text`` by the sentence embedding: (by the article's citing
    questions' mean vector, by its own text's vector); both empty without the embedding or without
    vectors in the artefact (citing_vectors.scores)."""
    artefact = artefact if artefact is not None else _shipped()
    return citing_vectors.scores(text, artefact)


def category_scores(categories: list[tuple[str, float]], artefact: dict | None = None) -> dict[str, float]:
    """ "law-code:number" → its share of the category's citations, weighted by the category's
    probability (``categories``: name and probability, e.g. triage's top three)."""
    artefact = artefact if artefact is not None else _shipped()
    if not artefact:
        return {}
    scores: dict[str, float] = defaultdict(float)
    for name, probability in categories:
        for key, share in artefact["categories"].get(name, ()):
            scores[key] += probability * share
    return dict(scores)


TOPICS_PATH = DATA_DIR / "citing" / "topics.txt"


@lru_cache(maxsize=1)
def shipped_laws() -> ShippedLaws:
    """The shipped statutes' names and articles, read once per process."""
    from guwen.knowledge.statutes import read_laws

    return ShippedLaws(read_laws())


def repealed_cited(text: str | None) -> tuple[tuple[str, int], ...]:
    """The 民法典 articles that replaced the repealed-law articles ``text`` cites (a resident who
    writes 合同法第九十四条 is shown 民法典 563), in order."""
    clean = normalize(text)[:MAX_CHARS] if text else ""
    if not any(name in clean for name in REPEALED_LAWS):
        return ()
    return shipped_laws().cited(clean, only_repealed=True)


@lru_cache(maxsize=1)
def topics() -> tuple[tuple[tuple[str, ...], tuple[tuple[str, int], ...]], ...]:
    """The hand-written matters of data/citing/topics.txt: (words, articles as (law code, number));
    a word written 拖欠+工资 matches a question holding every part.
    A line naming a law or article that is not shipped is a bug of the file and fails loudly."""
    laws = shipped_laws()
    found = []
    for number, line in enumerate(TOPICS_PATH.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, tail = line.partition("=>")
        articles = []
        for part in tail.split(";"):
            name, *numbers = part.split()
            code = laws.aliases.get(name)
            if code is None:
                raise ValueError(f"topics.txt:{number}: unknown law {name!r}")
            for value in numbers:
                if (code, int(value)) not in laws.articles:
                    raise ValueError(f"topics.txt:{number}: {name} has no article {value}")
                articles.append((code, int(value)))
        found.append((tuple(head.split()), tuple(articles)))
    return tuple(found)


def matter_scores(text: str | None, artefact: dict | None = None) -> dict[str, float]:
    """ "law-code:number" → the share of the questions naming the same matters whose answers cite
    it, summed over the matters ``text`` names."""
    artefact = artefact if artefact is not None else _shipped()
    if not artefact:
        return {}
    scores: dict[str, float] = defaultdict(float)
    learned = artefact.get("matters", {})
    for matter in matters_of(text):
        for key, share in learned.get(matter, ()):
            scores[key] += share
    return dict(scores)


def topic_scores(text: str | None) -> dict[str, float]:
    """ "law-code:number" → score, for the matters whose words ``text`` contains: the first article
    of a matter scores 1, later ones a little less, and an article two matters name scores more."""
    clean = normalize(text)[:MAX_CHARS]
    scores: dict[str, float] = defaultdict(float)
    if not clean:
        return {}
    for matter, articles in topics():
        if _names(clean, matter):
            for position, (code, number) in enumerate(articles):
                scores[f"{code}:{number}"] += 1 / (1 + 0.1 * position)
    return dict(scores)


def ranks(keys: list[str]) -> dict[str, float]:
    """A ranked list as scores: 1 / (rank + 1)."""
    scores: dict[str, float] = {}
    for rank, key in enumerate(keys):
        scores.setdefault(key, 1 / (rank + 1))
    return scores


def combine(signals: list[tuple[dict, float]]) -> list[tuple[object, float]]:
    """(key, score) for every key any signal scores, best first: each signal scaled to its best
    key, then weighted and summed."""
    total: dict = defaultdict(float)
    for scores, weight in signals:
        for key, value in _scaled(scores).items():
            total[key] += weight * value
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))


def spread(
    ranked: list[tuple[object, float]],
    law_of: dict,
    *,
    limit: int,
    first: int = FIRST_SHOWN,
    laws: int = LAWS_SHOWN,
    least: float = LAW_LEAST,
    keep: frozenset | set = frozenset(),
    kept_within: int = KEPT_WITHIN,
    named: list | tuple = (),
    named_within: int = NAMED_WITHIN,
    named_most: int = NAMED_MOST,
) -> list:
    """The ``first`` best keys (and those of ``keep`` among the ``kept_within`` best), then the
    best key of each of the ``laws`` strongest laws not yet among them (a law's strength: the sum
    of its articles' scores; a law below ``least`` of the strongest's is left out), then the best of
    the rest, ``limit`` in all, in score order. Five articles of one law leave an advisor nothing
    when the question turns on another; ``keep`` (the articles a hand-written matter names) are
    not pushed out by another law's best article. ``named`` (the first article of each matter the
    question names, in order): the first ``named_most`` of them among the ``named_within`` best are
    shown, each in place of the lowest-ranked article not named."""
    known = [key for key, _ in ranked if key in law_of]
    chosen = known[:first] + [key for key in known[first:kept_within] if key in keep]
    strength: dict = defaultdict(float)
    for key, score in ranked[:30]:
        if key in law_of:
            strength[law_of[key]] += score
    order = sorted(strength, key=lambda law: -strength[law])
    shown = {law_of[key] for key in chosen}
    for law in order[:laws]:
        if len(chosen) >= limit:
            break
        if law in shown or strength[law] < least * strength[order[0]]:
            continue
        chosen.append(next(key for key, _ in ranked if law_of.get(key) == law))
        shown.add(law)
    for key, _ in ranked:
        if len(chosen) >= limit:
            break
        if key not in chosen and key in law_of:
            chosen.append(key)
    order_of = {key: position for position, (key, _) in enumerate(ranked)}
    chosen = chosen[:limit]
    firsts = [key for key in named if key in law_of and order_of.get(key, named_within) < named_within]
    firsts = firsts[:named_most]
    for key in firsts:
        others = [other for other in chosen if other not in firsts]
        if key not in chosen and others:
            chosen[chosen.index(max(others, key=order_of.__getitem__))] = key
    return sorted(chosen, key=order_of.__getitem__)


def split_key(key: str) -> tuple[str, int]:
    code, _, number = key.rpartition(":")
    return code, int(number)
