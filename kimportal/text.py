"""Text as people typed it, minus the characters nobody sees: bidi controls that reorder what is
shown ("…\u202egnp.exe" reads "…exe.png") and zero-width characters that make two equal-looking
titles, tags or names differ."""

import re

# Soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space/non-joiner/joiner,
# LRM/RLM, the embeddings and overrides (LRE..RLO), word joiner and invisible operators, the
# isolates (LRI..PDI), and the byte order mark / zero-width no-break space.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)
