"""Indonesian text for full-text search: stemmed here in Python, indexed and ranked by PostgreSQL.

PostgreSQL's `indonesian` snowball stemmer cuts by rule ("penanaman" and "menanam" both became
`anam`); Sastrawi (Nazief-Adriani with the ECS improvements) checks each candidate root against its
dictionary of ~30,000 Indonesian roots, so both become `tanam`. A post's text and a reader's query
go through the same `terms`, and both reach PostgreSQL as literals (`tsvector` and `tsquery` input,
no text search configuration), so nothing is stemmed twice or differently.

Hyphens: a reduplication is its root ("anak-anak", "bersih-bersih": anak, bersih); any other
hyphenated word is its parts and the joined form ("gotong-royong": gotong, royong, gotongroyong), so
it matches its spaced and its joined spelling.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# What `terms` makes of a text. Bump it whenever that changes (another stemmer, a new rule, a new
# Sastrawi dictionary): `manage.py search_reindex` then rebuilds the entries of older versions while
# the old index keeps serving.
STEMMER_VERSION = 1

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
MAX_WORD = 40  # longer runs are not words (a URL, a key held down); lexemes must stay small
CLITICS = frozenset({"nya", "ku", "mu", "lah", "kah", "pun"})  # "nikmat-Nya", "dia-lah"
# Function words only: Sastrawi's list also drops words readers search for ("dua", "kembali").
STOP_WORDS = frozenset(
    "yang untuk pada ke para dan di dari ini itu dengan oleh dalam atau akan juga ada adalah bahwa"
    " sebagai karena kepada bagi serta telah sudah masih agar supaya sehingga tentang terhadap secara"
    " yaitu yakni maka pun lah kah nya si sang the of and".split()
)
OR_WORDS = frozenset({"or", "atau"})
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions PostgreSQL keeps per lexeme


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer:
    """Sastrawi's stemmer without its per-text cache (`root` caches per word)."""
    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


# Roots Sastrawi's dictionary holds in two spellings, where readers mean one ("pengunjung" gives
# `unjung`, "dikunjungi" `kunjung`).
ROOT_ALIASES = {"unjung": "kunjung"}


# What Sastrawi can take off: prefixes, infixes (after the first letter), suffixes. A word with none
# of them it gives back as it is, after trying every rule: ~1 ms a word it does not know (a name, a
# Javanese word, a typo), which a post holds dozens of.
_AFFIXED = re.compile(r"^(di|ke|se|be|me|pe|te)|^.(el|em|er|in)|(i|kan|an|lah|kah|tah|pun|ku|mu|nya)$")


@lru_cache(maxsize=100_000)
def root(word: str) -> str:
    """The root of one lowercase word without hyphens. "-nya" is tried off first: Sastrawi stems
    "pendaki" to `daki` but "pendakinya" to `pendak`."""
    if not _AFFIXED.search(word):
        return word
    stemmer = _stemmer()
    found = stemmer.stem_word(word) or word
    if word.endswith("nya") and len(word) >= 7:
        without = stemmer.stem_word(word[:-3])
        if without != found and stemmer.get_dictionary().contains(without):
            found = without
    return ROOT_ALIASES.get(found, found)


def words_of(text: str) -> list[str]:
    """The text's words, lowercase, hyphenated ones kept whole."""
    return [w for w in WORD.findall(text.lower()) if len(w) <= MAX_WORD]


def terms(word: str) -> list[str]:
    """The lexemes a word stands for: none for a stop word, its root, a reduplication's root, a
    hyphenated word's roots and its joined form."""
    parts = [p for p in word.split("-") if p not in CLITICS] or [word]
    if len(parts) == 1:
        return [] if parts[0] in STOP_WORDS else [root(parts[0])]
    roots = [root(part) for part in parts]
    if len(set(roots)) == 1:
        return roots[:1]
    return [*roots, "".join(parts)]


def surface_words(word: str) -> list[str]:
    """The forms of a word ts_headline sees (PostgreSQL's parser splits a hyphenated word)."""
    return [p for p in word.split("-") if p not in STOP_WORDS and p not in CLITICS]


def lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def document(*fields: tuple[str, str]) -> str:
    """The tsvector literal of (text, weight) fields, positions running on from one to the next;
    a hyphenated word's terms take consecutive positions, so a phrase finds it."""
    positions: dict[str, dict[int, str]] = {}
    at = 0
    for text, weight in fields:
        for word in words_of(text):
            found = terms(word)
            for n, term in enumerate(found):
                if len(found) == 1 or n < len(found) - 1:  # the joined form shares the last position
                    at += 1
                kept = positions.setdefault(term, {})
                if len(kept) < MAX_POSITIONS:
                    kept.setdefault(min(at, MAX_POSITION), weight)
    return " ".join(
        f"{lexeme(term)}:{','.join(f'{p}{w}' for p, w in sorted(kept.items()))}"
        for term, kept in positions.items()
    )


def vocabulary(*texts: str) -> set[str]:
    """The distinct words of the texts as PostgreSQL's headline parser sees them, and each
    hyphenated word's joined form: what "Maksud Anda" corrects a query to."""
    found: set[str] = set()
    for text in texts:
        for word in words_of(text):
            parts = surface_words(word)
            found.update(p for p in parts if not p.isdigit())
            if len(terms(word)) > 1:  # a compound, not a reduplication
                found.add("".join(parts))
    return {word for word in found if len(word) <= MAX_WORD}


class Query(NamedTuple):
    """A reader's query as a tsquery literal ('' when no word is left to search for), with what
    highlighting and corrections need."""

    tsquery: str
    roots: list[str]  # the terms searched for (not excluded)
    words: list[str]  # the words typed, lowercase (not excluded)


# A quoted phrase, or a run of anything else; either may start with "-" (leave out).
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def parse_query(text: str) -> Query:
    """The query as web search engines read it: words all required, "quoted words" a phrase,
    -word left out, `or`/`atau` between alternatives; stop words and symbols ignored."""
    roots: list[str] = []
    words: list[str] = []
    groups: list[list[str]] = [[]]
    for match in _CHUNK.finditer(text):
        phrase_minus, phrase, minus, chunk = match.groups()
        if chunk is not None and chunk.lower() in OR_WORDS:
            groups.append([])
            continue
        excluded = bool(phrase_minus or minus)
        items = [(w, q) for w in words_of(phrase if phrase is not None else chunk) if (q := _word_query(w))]
        if not items:
            continue
        if phrase is not None:
            parts = [q for _w, q in items]
            expression = parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
            groups[-1].append("!" + expression if excluded else expression)
        else:
            groups[-1].extend("!" + q if excluded else q for _w, q in items)
        if not excluded:
            for word, _q in items:
                words.extend(surface_words(word))
                roots.extend(terms(word))
    alternatives = [" & ".join(group) for group in groups if any(not q.startswith("!") for q in group)]
    tsquery = " | ".join(f"({a})" for a in alternatives) if len(alternatives) > 1 else "".join(alternatives)
    return Query(tsquery, roots, words)


def _word_query(word: str) -> str:
    found = terms(word)
    if len(found) <= 1:
        return "".join(lexeme(t) for t in found)
    *roots, joined = found
    return f"({' <-> '.join(lexeme(r) for r in roots)} | {lexeme(joined)})"


def trigrams(word: str) -> list[str]:
    """The word's trigrams as pg_trgm makes them (two spaces before, one after), for corrections."""
    padded = f"  {word} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})
