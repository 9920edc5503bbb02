import re
import unicodedata

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """What name search compares: lower case, no accents, single spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", folded).strip().lower()


def tidy_name(name: str) -> str:
    """A name as typed, with runs of white space folded."""
    return _SPACES.sub(" ", name).strip()
