"""Text helpers: folding for searches that ignore case and accents."""

import unicodedata


def fold(text):
    """'Département de l'Yonne' -> 'departement de l'yonne': no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def search_words(query, limit=8):
    """The folded words of a search box, at most `limit` of them (longer queries add nothing)."""
    return fold(query).split()[:limit]


def like_pattern(word):
    """A LIKE pattern matching the word anywhere, with LIKE's wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
