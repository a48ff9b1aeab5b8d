"""Bytes to text: legacy encodings, mojibake, byte order marks, and refusals."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.errors import BinaryInput, EmptyInput, InputError, InputTooLarge, UndecodableInput
from onrecord.ingest.decode import decode_bytes

RUSSIAN = "Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Минске."
UKRAINIAN = "Міністр сказав, що переговори триватимуть і наступного тижня у Львові."
SHORT_RUSSIAN = "Привет, мир."
FRENCH_IN_ENGLISH = "The café in Zürich charged £5 for a crème brûlée, the owner said. Señor Muñoz was not amused."
LIMIT = 1_000_000


@pytest.mark.parametrize("text, encoding", [
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (UKRAINIAN, "cp1251"), (SHORT_RUSSIAN, "cp1251"),
    (SHORT_RUSSIAN, "koi8-r"), (FRENCH_IN_ENGLISH, "latin-1"), ("Minister said the naïve plan costs £5m.", "latin-1"),
    ("Prezydent powiedział, że rozmowy będą kontynuowane w Łodzi.", "cp1250"),
])
def test_decode_legacy_encodings_read_back_exactly(text, encoding):
    decoded, notes = decode_bytes(text.encode(encoding), LIMIT)
    assert decoded == text
    assert any("not UTF-8" in note for note in notes)


@pytest.mark.parametrize("wrong", ["cp1252", "cp1251"])
def test_decode_utf8_mojibake_is_repaired(wrong):
    original = "Президент сказал: «так». The minister said “we will win” – and left."
    if wrong == "cp1252":
        original = "The minister said “we will win” – and left the café."
    mangled = original.encode("utf-8").decode(f"sloppy-windows-{wrong[2:]}").encode("utf-8")
    decoded, notes = decode_bytes(mangled, LIMIT)
    assert decoded == original
    assert any("mojibake" in note for note in notes)


def test_decode_curly_quotes_survive_repair():
    decoded, _ = decode_bytes("“Yes,” she said, ‘no’.".encode(), LIMIT)
    assert decoded == "“Yes,” she said, ‘no’."


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16")])
def test_decode_byte_order_marks_are_dropped(bom, encoding):
    decoded, _ = decode_bytes(bom + "Hello there, the minister said.".encode(encoding), LIMIT)
    assert decoded == "Hello there, the minister said."


def test_decode_stray_byte_in_utf8_is_replaced_not_misread():
    data = "The minister said “we will win” in Zürich.".encode() + b" \xe9 end."
    decoded, notes = decode_bytes(data, LIMIT)
    assert decoded.startswith("The minister said “we will win” in Zürich.")
    assert "\ufffd" in decoded and notes


def test_decode_png_is_binary():
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + os.urandom(64)
    with pytest.raises(BinaryInput):
        decode_bytes(png, LIMIT)


@pytest.mark.parametrize("data", [bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40,
                                  bytes(range(0x80, 0x100)) * 4])
def test_decode_unreadable_bytes_are_undecodable(data):
    with pytest.raises((UndecodableInput, BinaryInput)):
        decode_bytes(data, LIMIT)


def test_decode_undefined_bytes_give_the_undecodable_message():
    with pytest.raises(UndecodableInput, match="cannot decode"):
        decode_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40, LIMIT)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_decode_empty_input(data):
    with pytest.raises(EmptyInput):
        decode_bytes(data, LIMIT)


def test_decode_too_large_names_size_and_limit():
    with pytest.raises(InputTooLarge, match="2,000 bytes, the limit is 1,000"):
        decode_bytes(b"a" * 2000, 1000)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_decode_property_any_bytes_give_text_or_an_input_error(data):
    try:
        text, notes = decode_bytes(data, LIMIT)
    except InputError:
        return
    assert isinstance(text, str) and text.strip()
    assert all(isinstance(note, str) for note in notes)
