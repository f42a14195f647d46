"""Pronunciations for words the recogniser's dictionary lacks (names, Korean loanwords, coinages),
from eSpeak NG's letter-to-sound rules, written in the dictionary's ARPAbet.

Why eSpeak NG: it is already a system dependency (the tools and tests speak with it), it runs
offline, and its English rules cover names and romanised Korean well enough for an aligner, which
only needs a plausible phone sequence. `espeak-ng -x --sep` prints its own phoneme mnemonics one
by one; the table below folds them onto the 39 ARPAbet phones of CMUdict. Stress marks are
dropped (the aligner's phones carry none). A word eSpeak cannot spell gives None, never a crash;
the caller then treats the word as one it cannot align."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

# eSpeak NG's English phoneme mnemonics → ARPAbet (one mnemonic may become two phones).
ESPEAK_TO_ARPABET = {
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "g": "G", "f": "F", "v": "V",
    "T": "TH", "D": "DH", "s": "S", "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M",
    "n": "N", "N": "NG", "l": "L", "r": "R", "w": "W", "j": "Y", "tS": "CH", "dZ": "JH",
    "t#": "T", "d#": "D", "?": "T", "n-": "N", "m-": "M", "l-": "L", "x": "HH", "C": "HH",
    "a": "AE", "aa": "AE", "a#": "AH", "A:": "AA", "A@": "AA R", "A": "AA", "0": "AA",
    "@": "AH", "@L": "AH L", "@2": "AH", "@5": "AH", "3": "ER", "3:": "ER", "E": "EH",
    "e@": "EH R", "eI": "EY", "i": "IY", "i:": "IY", "I": "IH", "I2": "IH", "I#": "IH",
    "i@": "IH R", "i@3": "IH R", "o@": "AO R", "O:": "AO", "O": "AO", "O@": "AO R", "OI": "OY",
    "oU": "OW", "o": "OW", "u:": "UW", "u": "UW", "U": "UH", "U@": "UH R", "V": "AH",
    "aI": "AY", "aI@": "AY ER", "aI3": "AY ER", "aU": "AW", "aU@": "AW ER", "e": "EH",
    "y": "UW", "Y": "UH", "W": "UH",
}
ARPABET = frozenset("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R "
                    "S SH T TH UH UW V W Y Z ZH".split())
SPELLABLE = re.compile(r"[a-z][a-z']*")


@functools.lru_cache(maxsize=4096)
def espeak_arpabet(word: str) -> tuple[str, ...] | None:
    """ARPAbet phones for one lower-case word, or None when eSpeak NG is missing or the word
    has nothing it can spell (digits and Latin letters only; other scripts are not English)."""
    if not SPELLABLE.fullmatch(word):
        return None
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-q", "-x", "--sep= ", "-v", "en-us", word],
                              capture_output=True, text=True, timeout=10, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    phones: list[str] = []
    for mnemonic in done.stdout.split():
        mnemonic = mnemonic.strip("',%=")
        if not mnemonic or mnemonic in (";", "_", "_:", "||"):
            continue
        mapped = ESPEAK_TO_ARPABET.get(mnemonic) or ESPEAK_TO_ARPABET.get(mnemonic.rstrip(";#"))
        if mapped is None:
            continue  # a rare mnemonic: dropping one phone still leaves an alignable word
        phones.extend(mapped.split())
    return tuple(p for p in phones if p in ARPABET) or None
