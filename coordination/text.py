"""Text helpers: folding for searches that ignore case and accents."""

import re
import unicodedata


def fold(text):
    """'Département de l'Yonne' -> 'departement de l'yonne': no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def identity_key(first_name, last_name):
    """A name folded for comparing files: no accents, no case, œ/æ spelt out, letters only."""
    folded = fold(f"{first_name or ''} {last_name or ''}").translate(LIGATURES)
    return "".join(char for char in folded if char.isalnum())


def search_words(query, limit=8):
    """The folded words of a search box, at most `limit` of them (longer queries add nothing)."""
    return fold(query).split()[:limit]


def like_pattern(word):
    """A LIKE pattern matching the word anywhere, with LIKE's wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_tokens(*parts):
    """The folded words of a name, split on spaces, hyphens and apostrophes ("Jean-Pierre")."""
    words = re.split(r"[^0-9a-z]+", fold(" ".join(part for part in parts if part)))
    return sorted({word[:40] for word in words if word})


def prefix_range(word):
    """(low, high) such that low <= token < high holds for the tokens starting with word."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)
