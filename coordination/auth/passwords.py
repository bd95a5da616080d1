"""Password hashing with argon2id and the password policy (length, common, context)."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 12
# Checked before hashing: a 1 MB password never reaches argon2.
MAX_LENGTH = 128
# zxcvbn knows English; these are what French users reach for first.
FRENCH_COMMON_WORDS = [
    "motdepasse", "azerty", "soleil", "bonjour", "doudou", "loulou", "chouchou", "jetaime",
    "marseille", "paris", "france", "maillage", "ccas", "caf", "social", "travail", "bienvenue",
]  # fmt: skip
MIN_ZXCVBN_SCORE = 3
# What must remain of a password once names, e-mail and common words are taken out.
MIN_REST_LENGTH = 6


def hasher():
    """Return the app's argon2id hasher (parameters from PASSWORD_HASH_PARAMS)."""
    cached = current_app.extensions.get("password_hasher")
    if cached is None:
        params = current_app.config["PASSWORD_HASH_PARAMS"]
        cached = PasswordHasher(type=Type.ID, **params)
        current_app.extensions["password_hasher"] = cached
        current_app.extensions["password_dummy_hash"] = cached.hash("a password nobody has")
    return cached


def hash_password(password):
    """Hash a password with argon2id."""
    return hasher().hash(password)


def verify_password(password_hash, password):
    """Tell whether the password matches the hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """Tell whether a hash was made with weaker parameters than today's."""
    return hasher().check_needs_rehash(password_hash)


def burn_time(password):
    """Spend the time of a real check, so unknown and known accounts answer alike."""
    hasher()
    verify_password(current_app.extensions["password_dummy_hash"], password)


def policy_problem(password, context=()):
    """Return why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    words = [word for word in context if word] + FRENCH_COMMON_WORDS
    guessable = zxcvbn(password, user_inputs=words)["score"] < MIN_ZXCVBN_SCORE
    if guessable or leans_on(password, words):
        return _(
            "This password is too common or too easy to guess (names, e-mail, common words). "
            "A sentence of four or five words you will remember works well."
        )
    return None


def leans_on(password, words):
    """Tell whether little is left of the password once the given words are taken out."""
    rest = "".join(char for char in password.casefold() if char.isalnum())
    for word in sorted(words, key=len, reverse=True):
        plain = "".join(char for char in word.casefold() if char.isalnum())
        if len(plain) >= 4:
            rest = rest.replace(plain, "")
    return len(rest) < MIN_REST_LENGTH


def context_words(email, name, organisation_name=""):
    """Words a password must not lean on: parts of the e-mail, the name, the organisation."""
    words = [email, *email.replace("@", " ").replace(".", " ").split()]
    words += name.split() + organisation_name.split()
    return [word.casefold() for word in words if len(word) > 2]
