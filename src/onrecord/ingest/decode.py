"""Bytes to text: UTF-8 first, then a detected legacy encoding (cp1251, koi8-r, latin-1 ...),
then mojibake repair. Binary data is refused rather than guessed at."""

from __future__ import annotations

import re
import unicodedata

import ftfy

from onrecord.errors import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput

# Control characters other than tab/newline/CR/formfeed; more than 1 in 100 means binary data
# (text files, even mangled ones, have almost none; images and archives have many).
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))
_MAX_CONTROL_RATIO = 0.01


# Text is measured in slices of this many characters, so that a 50 MB string is never copied
# whole into bytes just to be counted (a slice and its encoding are a few MB at most).
_MEASURE_CHUNK = 1 << 20


def check_size(data: bytes | str, limit: int) -> None:
    """InputTooLarge when `data` (bytes, or text measured as UTF-8) is over `limit` bytes."""
    if isinstance(data, str):
        if len(data) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character: fine unmeasured
            return
        size = utf8_size(data)
    else:
        size = len(data)
    if size > limit:
        raise InputTooLarge(size=size, limit=limit)


def utf8_size(text: str) -> int:
    """The length of `text` in UTF-8 (lone surrogates count 3 bytes), without encoding it whole."""
    if text.isascii():  # constant time in CPython: ASCII strings are stored as such
        return len(text)
    return sum(len(text[start:start + _MEASURE_CHUNK].encode("utf-8", "surrogatepass"))
               for start in range(0, len(text), _MEASURE_CHUNK))


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
        text = _mostly_utf8(data)
        if text is not None:
            notes.append("a few bytes were not valid UTF-8 and were replaced by \N{REPLACEMENT CHARACTER}")
        else:
            text, encoding = _decode_legacy(data)
            notes.append(f"decoded as {encoding}, not UTF-8")
    controls = sum(1 for ch in text[:65536] if ord(ch) in _CONTROL)
    if controls > _MAX_CONTROL_RATIO * min(len(text), 65536):
        raise BinaryInput(f"{controls} control characters")
    repaired = repair_text(text)
    if not repaired.strip():
        raise EmptyInput()  # nothing but a byte order mark or invisible characters
    if repaired != text:
        notes.append("repaired mis-decoded characters (mojibake)")
    return repaired, notes


def repair_text(text: str) -> str:
    """Fix mojibake (UTF-8 read as cp1252 or cp1251) and odd characters, keeping quotes as they are:
    curly versus straight quotation marks carry information for attribution."""
    return ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, normalization="NFC")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a stray byte or two (a file edited with another encoding): keep the UTF-8 and
    replace the bad bytes, when good multi-byte characters outnumber bad bytes two to one."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if good >= 2 * bad else None


def _looks_like_utf16(sample: bytes) -> bool:
    return sample[:2] in (b"\xff\xfe", b"\xfe\xff")


# Legacy encodings tried when a file is not UTF-8, in order of preference on a tie: the Cyrillic
# code pages of the region's outlets, then Western European (cp1252 is latin-1 plus curly quotes).
LEGACY_ENCODINGS = ("cp1251", "koi8_r", "cp1252", "cp1250")
# A decoding with more than this share of implausible words or junk characters is not text:
# chosen so that random bytes are refused while a real article with a few odd names passes.
_MAX_IMPLAUSIBLE_SHARE = 0.3
_WORD = re.compile(r"[^\W\d_]+")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """The legacy encoding under which the text reads most plausibly (charset detectors guess
    poorly between cp1251, koi8-r and cp1252 on short articles: these differ in which letters
    come out, and the wrong one gives words in mixed scripts or with capitals inside)."""
    if _looks_like_utf16(data):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UndecodableInput("it starts with a UTF-16 byte order mark but is not valid UTF-16") from None
    candidates = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((implausibility(text), LEGACY_ENCODINGS.index(encoding), text, encoding))
    if candidates:
        score, _, text, encoding = min(candidates)
        if score <= _MAX_IMPLAUSIBLE_SHARE:
            return text, encoding
    raise UndecodableInput("neither UTF-8 nor a legacy encoding (cp1251, koi8-r, cp1252) gives readable text")


def implausibility(text: str) -> float:
    """Share of words that no language writes (scripts mixed inside a word, a capital after a small
    letter, Latin words made mostly of accented letters) plus the share of junk characters."""
    sample = text[:20000]
    words = _WORD.findall(sample)
    bad = sum(1 for word in words if _implausible_word(word))
    visible = [ch for ch in sample if not ch.isspace()]
    junk = sum(1 for ch in visible if _is_junk(ch))
    return (bad / len(words) if words else 1.0) + (junk / len(visible) if visible else 1.0)


def _implausible_word(word: str) -> bool:
    scripts = {_script(ch) for ch in word}
    if len(scripts) > 1:
        return True
    if any(a.islower() and b.isupper() for a, b in zip(word, word[1:])):
        return True
    accented = sum(1 for ch in word if "LATIN" in scripts and ord(ch) > 127)
    return len(word) > 2 and accented * 2 > len(word)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else "?"


def _is_junk(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "So") or "\u2500" <= ch <= "\u259f"
