"""Language of an article, detected with py3langid.

Rule: the most probable language over all of py3langid's languages is kept as
detected (an article in German is tagged "de"). Short texts are unreliable, so
when the text is shorter than SHORT_TEXT characters and the winner is neither
French nor English, the better of "fr" and "en" is taken instead (a short
French title is often mistaken for Catalan or Italian).
"""
from __future__ import annotations

import py3langid as langid

SUPPORTED = ("fr", "en")
SHORT_TEXT = 200
SAMPLE_CHARS = 3000  # enough to decide; bounds the cost on long texts


def detect_language(text: str, default: str = "fr") -> str:
    """ISO 639-1 code of the text's language; `default` for a text with no letters."""
    sample = text[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return default
    ranking = langid.rank(sample)
    best = ranking[0][0]
    if best in SUPPORTED or len(sample.strip()) >= SHORT_TEXT:
        return best
    return next(code for code, _ in ranking if code in SUPPORTED)
