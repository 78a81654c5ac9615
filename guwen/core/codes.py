"""Codes residents read aloud and type on a phone: consultation receipt codes and booking codes.

One alphabet without the characters people confuse (0/O, 1/I/L), drawn uniformly, and one
normaliser for what people type back (spaces dropped, lower case raised). Codes stored before the
alphabet lost ``L`` still match: normalising never changes a character.
"""

from __future__ import annotations

import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int) -> str:
    """``length`` characters drawn uniformly from the alphabet (one draw for the whole code)."""
    base = len(CODE_ALPHABET)
    n = secrets.randbelow(base**length)
    chars = []
    for _position in range(length):
        n, digit = divmod(n, base)
        chars.append(CODE_ALPHABET[digit])
    return "".join(chars)


def normalize_code(value: str | None, *, length: int) -> str:
    """What a person typed for a code of ``length`` characters, as stored: no spaces, upper case,
    and cut at twice the length so a pasted essay costs nothing to look up."""
    return "".join((value or "").split()).upper()[: length * 2]
