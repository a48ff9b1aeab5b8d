"""Bytes to text: UTF-8 first, then a detected legacy encoding (cp1251, koi8-r, latin-1 ...),
then mojibake repair. Binary data is refused rather than guessed at."""

from __future__ import annotations

import ftfy
from charset_normalizer import from_bytes

from onrecord.errors import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput

# Control characters other than tab/newline/CR/formfeed; more than 1 in 100 means binary data
# (text files, even mangled ones, have almost none; images and archives have many).
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))
_MAX_CONTROL_RATIO = 0.01


def check_size(data: bytes | str, limit: int) -> None:
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > limit:
        raise InputTooLarge(size=size, limit=limit)


def decode_bytes(data: bytes, limit: int) -> tuple[str, list[str]]:
    """Decode `data` into text; return the text and notes on what was repaired."""
    check_size(data, limit)
    if not data.strip():
        raise EmptyInput()
    sample = data[:65536]
    if b"\x00" in sample and not _looks_like_utf16(sample):
        raise BinaryInput("it contains NUL bytes")
    notes: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
        notes.append(f"decoded as {encoding}, not UTF-8")
    controls = sum(1 for ch in text[:65536] if ord(ch) in _CONTROL)
    if controls > _MAX_CONTROL_RATIO * min(len(text), 65536):
        raise BinaryInput(f"{controls} control characters")
    repaired = repair_text(text)
    if repaired != text:
        notes.append("repaired mis-decoded characters (mojibake)")
    return repaired, notes


def repair_text(text: str) -> str:
    """Fix mojibake (UTF-8 read as cp1252 or cp1251) and odd characters, keeping quotes as they are:
    curly versus straight quotation marks carry information for attribution."""
    return ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, normalization="NFC")


def _looks_like_utf16(sample: bytes) -> bool:
    return sample[:2] in (b"\xff\xfe", b"\xfe\xff")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    if _looks_like_utf16(data):
        return data.decode("utf-16"), "utf-16"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableInput("neither UTF-8 nor a recognisable legacy encoding")
    return str(best), best.encoding
