"""Text normalisation for search, identical on SQLite and PostgreSQL.

Names, objects and keywords are stored once more as ``search_text``: accents removed, lower case,
French stop words dropped, each word reduced to its Snowball French stem ("sportives" → "sportiv",
"sport" → "sport"). Queries go through the same function, so a word matches whatever its form.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import chain

import snowballstemmer

_stemmer = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS_TEXT = (
    "a au aux avec ce ces d dans de des du elle en et eux il je l la le les leur lui ma mais me meme mes moi mon "
    "ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur ta te tes toi ton tu un une vos votre vous "
    "y association associations asso"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def unaccent(text: str) -> str:
    if text.isascii():
        return text
    # Word by word through a cache: the RNA import folds millions of objects made of the same words.
    # Same result as folding the whole text: the decomposition works character by character.
    return " ".join(map(_unaccent_word, text.split(" ")))


@lru_cache(maxsize=100_000)
def _unaccent_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("œ", "oe").replace("æ", "ae")


def fold(text: str) -> str:
    """Lower case without accents: for names (sorting, trigram typo tolerance)."""
    return " ".join(_WORD.findall(unaccent(text or "").lower()))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    # Space-separated chunks through a cache (no word spans a space), for the import's speed.
    return [token for chunk in (text or "").split(" ") for token in _chunk_tokens(chunk)]


@lru_cache(maxsize=200_000)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in _WORD.findall(unaccent(chunk).lower()) if word not in STOP_WORDS)


def search_text(*parts: str) -> str:
    """The indexed text: unique stems, in first-seen order."""
    # Same as chaining tokens(part) for each part (joining with a space adds no chunk that has a word),
    # with the iteration in C: the RNA import calls this two million times.
    chunks = " ".join(filter(None, parts)).split(" ")
    return " ".join(dict.fromkeys(chain.from_iterable(map(_chunk_tokens, chunks))))


PREFIX_LENGTH = 5


def query_terms(query: str) -> list[str]:
    """Prefixes to look for: each query word's stem cut to 5 characters, so that "sportives"
    (stem "sportiv") finds "sport" and "sport" finds "sportives". Short words are kept whole."""
    return list(dict.fromkeys(token[:PREFIX_LENGTH] for token in tokens(query)))
