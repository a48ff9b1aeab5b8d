"""Where articles come from: files, folders (recursive), standard input, JSON Lines and feeds.

`read_inputs` yields one InputItem per article, in a stable order (arguments in the order given,
folders sorted by path). A bad input becomes an item carrying its error, so a batch goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import InputError, InputTooLarge, MalformedInput, MissingPath, UnsupportedInput, Warnings
from onrecord.ingest.article import Article
from onrecord.ingest.dates import find_date
from onrecord.ingest.decode import check_size, decode_bytes, repair_text
from onrecord.ingest.feeds import FEED_SUFFIXES, feed_items, looks_like_feed
from onrecord.ingest.html import parse_html
from onrecord.ingest.text import clean_text
from onrecord.settings import DEFAULT, Settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"} | JSON_LINES_SUFFIXES
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES
# Inputs that hold many articles: the size limit applies to each article, not to the file.
_COLLECTION_SUFFIXES = JSON_SUFFIXES | FEED_SUFFIXES
_HTML_SNIFF = re.compile(r"<(?:!doctype html|html|head|body|article|div|p)\b", re.IGNORECASE)
_HTML_DOCUMENT = re.compile(r"\s*<(?:!doctype html|html)\b", re.IGNORECASE)
_JSON_FIELDS = {"text", "html", "url", "published", "outlet", "id", "title", "author", "source"}
# A JSON Lines line holds one article: its body (at most max_bytes once parsed) and metadata.
# json.dumps escapes every non-ASCII character by default, which makes Cyrillic text and characters
# beyond the BMP three times longer (2 or 4 bytes -> one or two \uXXXX); the 64 KB are for the
# metadata. A longer line is refused unparsed and skipped without being held in memory.
JSON_LINE_GROWTH = 3
JSON_LINE_METADATA_BYTES = 65_536
# A .json file or a feed is one document, parsed whole and held in memory several times over
# (bytes, text, objects): 20 articles' worth (100 MB by default) keeps that under about 1 GB.
# Larger batches belong in JSON Lines, which is read one line at a time.
COLLECTION_ARTICLES = 20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class InputItem:
    """One article read from an input, or the reason it could not be read."""

    name: str
    article: Article | None = None
    error: InputError | None = None


def read_inputs(paths: Iterable[str], settings: Settings = DEFAULT) -> Iterator[InputItem]:
    for path in paths:
        if path == "-":
            yield from _guarded("<stdin>", lambda: _read_bytes_input(
                "<stdin>", _read_stream(sys.stdin.buffer, settings.max_bytes), "", settings))
            continue
        target = Path(path)
        if target.is_dir():
            for file in iter_folder(target):
                yield from _read_file(file, settings)
        elif target.exists():
            yield from _read_file(target, settings)
        else:
            yield InputItem(name=path, error=MissingPath())


def _read_stream(stream, limit: int) -> bytes:
    """The whole stream, or InputTooLarge with its true size: past the limit the rest is counted
    and dropped, never held in memory."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data
    size = len(data)
    while chunk := stream.read(1 << 20):
        size += len(chunk)
    raise InputTooLarge(size=size, limit=limit)


def iter_folder(folder: Path) -> list[Path]:
    """Article files under `folder`, recursively, sorted; hidden files and other types are left out."""
    files = [
        file for file in folder.rglob("*")
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)
        and _suffix(file) in SUPPORTED_SUFFIXES - {""}
    ]
    return sorted(files)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _guarded(name: str, read) -> Iterator[InputItem]:
    try:
        yield from read()
    except InputError as error:
        yield InputItem(name=name, error=error)
    except OSError as error:  # unreadable file, permission denied, device gone: report, go on
        yield InputItem(name=name, error=InputError(f"cannot read it ({error.strerror or error})"))
    except Exception as error:  # noqa: BLE001 - a parser's bug on one odd file must not end the batch
        yield InputItem(name=name, error=InputError(f"could not be read ({type(error).__name__}: {error})"))


def _read_file(path: Path, settings: Settings) -> Iterator[InputItem]:
    name = str(path)

    def read() -> Iterator[InputItem]:
        suffix = _suffix(path)
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnsupportedInput(f"files ending in '{suffix}' are not articles "
                                   "(use .txt, .html, .json, .jsonl, .rss, .atom)")
        compressed = path.suffix.lower() == ".gz"
        if suffix in JSON_LINES_SUFFIXES:
            with (gzip.open(path, "rb") if compressed else path.open("rb")) as stream:
                yield from _read_json_lines(name, stream, settings)
            return
        limit = collection_limit(settings) if suffix in _COLLECTION_SUFFIXES else settings.max_bytes
        size = path.stat().st_size
        if size > limit:
            raise InputTooLarge(size=size, limit=limit)
        data = path.read_bytes()
        if compressed:
            data = _gunzip(data, limit)
        yield from _read_bytes_input(name, data, suffix, settings)

    yield from _guarded(name, read)


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limit + 1)
    except (OSError, EOFError) as error:
        raise MalformedInput(f"broken gzip data ({error})") from None
    check_size(out, limit)
    return out


def _read_bytes_input(name: str, data: bytes, suffix: str, settings: Settings) -> Iterator[InputItem]:
    if suffix in JSON_SUFFIXES:
        yield from _read_json(name, data, suffix, settings)
        return
    if suffix in FEED_SUFFIXES or looks_like_feed(data):
        yield from _read_feed(name, data, settings)
        return
    text, notes = decode_bytes(data, settings.max_bytes)
    # A text file that opens as an HTML document is a saved page; standard input is sniffed more loosely.
    is_html = (suffix in HTML_SUFFIXES or bool(_HTML_DOCUMENT.match(text))
               or (suffix not in TEXT_SUFFIXES - {""} and bool(_HTML_SNIFF.search(text[:4096]))))
    article = parse_html(text, source=name) if is_html else clean_text(text, source=name)
    article.warnings.extend(Warnings.format(Warnings.ENCODING_REPAIRED, note) for note in notes)
    yield InputItem(name=name, article=article)


def json_line_limit(settings: Settings) -> int:
    """The longest JSON Lines line that is parsed (see JSON_LINE_GROWTH)."""
    return JSON_LINE_GROWTH * settings.max_bytes + JSON_LINE_METADATA_BYTES


def collection_limit(settings: Settings) -> int:
    """The largest .json file or feed that is parsed (see COLLECTION_ARTICLES)."""
    return COLLECTION_ARTICLES * settings.max_bytes


def _read_json(name: str, data: bytes, suffix: str, settings: Settings) -> Iterator[InputItem]:
    if suffix in JSON_LINES_SUFFIXES:
        yield from _read_json_lines(name, io.BufferedReader(io.BytesIO(data)), settings)
        return
    text, _ = decode_bytes(data, max(settings.max_bytes, len(data)))
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedInput(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    objects = parsed if isinstance(parsed, list) else [parsed]
    for index, obj in enumerate(objects, 1):
        item_name = name if len(objects) == 1 else f"{name}#{index}"
        yield from _guarded(item_name, lambda obj=obj, item_name=item_name:
                            iter([_from_object(item_name, obj, settings)]))


def _read_json_lines(name: str, stream, settings: Settings) -> Iterator[InputItem]:
    """One item per non-blank line of a binary stream, named `name:line`, read one line at a
    time: a bad or over-long line is reported and the lines after it are still read."""
    if stream.peek(2)[:2] in _UTF16_BOMS:  # UTF-16 cannot be split into lines byte-wise
        stream = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline="")
    limit = json_line_limit(settings)
    try:
        for number, line, size in bounded_lines(stream, limit):
            item_name = f"{name}:{number}"
            if line is None:
                yield InputItem(name=item_name, error=InputTooLarge(size=size, limit=limit))
            elif line.strip():
                yield from _guarded(item_name, lambda line=line, item_name=item_name, first=number == 1:
                                    iter([_from_json_line(item_name, line, first, settings)]))
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise MalformedInput(f"broken gzip data ({error})") from None


def bounded_lines(stream, limit: int) -> Iterator[tuple[int, bytes | str | None, int]]:
    """(line number, line, size) for each line of `stream` (bytes or text); a line longer than
    `limit` comes as None with its size, read in chunks and dropped."""
    newline = "\n" if isinstance(stream, io.TextIOBase) else b"\n"
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) <= limit or line.endswith(newline):
            yield number, line, len(line)
            continue
        size = len(line)
        while rest := stream.readline(1 << 16):  # dropped 64 KB at a time
            size += len(rest)
            if rest.endswith(newline):
                size -= 1
                break
        yield number, None, size


def _from_json_line(name: str, line: bytes | str, first: bool, settings: Settings) -> InputItem:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig" if first else "utf-8")
        except UnicodeDecodeError:
            line, _ = decode_bytes(line, len(line))  # a line in a legacy encoding
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise MalformedInput(f"not valid JSON ({error.msg})") from None
    return _from_object(name, obj, settings)


def _read_feed(name: str, data: bytes, settings: Settings) -> Iterator[InputItem]:
    for index, obj in enumerate(feed_items(data), 1):
        item_name = f"{name}#{index}"
        yield from _guarded(item_name, lambda obj=obj, item_name=item_name:
                            iter([_from_object(item_name, obj, settings)]))


def _from_object(name: str, obj: object, settings: Settings) -> InputItem:
    """One JSON object {text|html, url, published, outlet, id, title, author} into an article."""
    if not isinstance(obj, dict):
        raise MalformedInput("expected a JSON object with a 'text' or 'html' field")
    if not isinstance(obj.get("text") or obj.get("html"), str):
        raise MalformedInput("the object has no 'text' or 'html' string")
    metadata = {key: str(obj[key]) for key in _JSON_FIELDS - {"text", "html", "source"}
                if obj.get(key) is not None}
    notes = []
    if "published" in metadata:
        given = metadata.pop("published")
        published = _as_iso_date(given)
        if published is None:
            notes.append(Warnings.format("W103", f"the given publication date {given[:40]!r} is not a date"))
        metadata["published"] = published
    source = str(obj.get("source") or obj.get("url") or name)
    body = obj.get("html") if isinstance(obj.get("html"), str) else obj["text"]
    check_size(body, settings.max_bytes)
    body = repair_text(body)
    if isinstance(obj.get("html"), str):
        url = metadata.pop("url", None)
        article = parse_html(body, source=source, url=url, **metadata)
    else:
        article = clean_text(body, source=source, **metadata)
    article.warnings.extend(notes)
    return InputItem(name=name, article=article)


def _as_iso_date(value: str) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or a written date ("5 March 2024", "05.03.2024")."""
    found = find_date(value)
    return found[0].isoformat() if found else None
