"""`onrecord analyze` through the command line: records, bad inputs, standard input, --out, order.

Every bad input gives one line on standard error naming the file and the reason, the rest of the
batch is still analysed, and the run ends with "analysed N, failed M" and exit status 1.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.model import Record
from tests.conftest import EXAMPLES, assert_offsets_hold

runner = CliRunner()
GOOD_TEXT = EXAMPLES / "moldova-gas.txt"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + bytes(64)


def analyze(*args: str, stdin: str | bytes | None = None):
    result = runner.invoke(app, ["analyze", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def records(stdout: str) -> list[Record]:
    return [Record.model_validate_json(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    """Good and bad files side by side, some in a subfolder."""
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(GOOD_TEXT, folder / "a-good.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-image.txt").write_bytes(PNG)
    (folder / "d-undecodable.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)
    (folder / "e-big.txt").write_text("The minister said the talks would go on. " * 200)
    (folder / "sub").mkdir()
    lines = [
        json.dumps({"text": "Talks resume in Geneva\n\nDiplomats met in Geneva on Monday, the foreign ministry said.",
                    "id": "j1", "outlet": "Wire", "published": "2024-01-02", "url": "https://wire.example/1"}),
        "{not json",
        json.dumps({"html": "<html><body><article><h1>Port reopens after storm</h1><p>The port reopened on "
                            "Friday after the storm, the harbour master said.</p></article></body></html>",
                    "id": "j2"}),
        json.dumps({"title": "an object without a body"}),
    ]
    (folder / "sub" / "f-lines.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "sub" / "g-more.txt").write_text("Ferry service resumes\n\nThe ferry to the island ran again on Monday.")
    (folder / ".hidden.txt").write_text("Hidden files are not articles.")
    return folder


@pytest.fixture(scope="module")
def mixed_run(mixed_folder):
    return analyze(str(mixed_folder), str(mixed_folder / "missing.txt"), "--max-bytes", "5000", "--json")


def test_cli_analyze_example_record_has_headline_title_and_clean_text(shared):
    result = analyze(str(shared / "examples" / "belarus-iskander.txt"), "--json")
    assert result.exit_code == 0, result.stderr
    [record] = records(result.stdout)
    headline = "Belarus bought Iskanders from Russia, Lukashenka wants to produce missiles for them"
    assert record.document.title == headline
    assert "Main menu" not in record.text
    assert record.text.count(headline) == 1
    assert_offsets_hold(record)


@pytest.mark.parametrize("name, reason", [
    ("b-empty.txt", "empty input"),
    ("c-image.txt", "binary data, not text"),
    ("d-undecodable.txt", "cannot decode the text"),
    ("e-big.txt", "too large: 8,200 bytes, the limit is 5,000"),
    ("f-lines.jsonl:2", "malformed input: not valid JSON"),
    ("f-lines.jsonl:4", "malformed input: the object has no 'text' or 'html' string"),
    ("missing.txt", "no such file or folder"),
])
def test_cli_analyze_bad_input_gives_one_line_naming_file_and_reason(mixed_run, name, reason):
    lines = [line for line in mixed_run.stderr.splitlines() if name in line]
    assert len(lines) == 1, mixed_run.stderr
    assert reason in lines[0]


def test_cli_analyze_mixed_folder_goes_on_with_the_good_inputs(mixed_run, mixed_folder):
    found = records(mixed_run.stdout)
    assert [record.document.source for record in found] == [
        str(mixed_folder / "a-good.txt"), "https://wire.example/1", f"{mixed_folder / 'sub' / 'f-lines.jsonl'}:3",
        str(mixed_folder / "sub" / "g-more.txt")]
    assert found[0].document.title.startswith("Moldova signs gas deal")
    assert found[2].document.title == "Port reopens after storm"


def test_cli_analyze_mixed_folder_ends_with_summary_and_status_1(mixed_run):
    assert mixed_run.exit_code == 1
    assert mixed_run.stderr.strip().splitlines()[-1] == "analysed 4, failed 7"
    assert "Traceback" not in mixed_run.stderr


def test_cli_analyze_json_lines_fields_reach_the_record(mixed_run):
    record = records(mixed_run.stdout)[1]
    assert record.document.id == "j1"
    assert record.document.url == "https://wire.example/1"
    assert record.document.published == "2024-01-02"
    assert record.document.outlet == "Wire"
    assert record.document.title == "Talks resume in Geneva"


def test_cli_analyze_output_order_is_stable(mixed_folder, mixed_run):
    again = analyze(str(mixed_folder), str(mixed_folder / "missing.txt"), "--max-bytes", "5000", "--json")
    assert again.stdout == mixed_run.stdout


def test_cli_analyze_arguments_keep_the_order_given(tmp_path):
    (tmp_path / "z.txt").write_text("Zinc mine reopens\n\nThe zinc mine reopened on Monday, the owner said.")
    (tmp_path / "a.txt").write_text("Apple harvest falls\n\nThe apple harvest fell by a fifth, farmers said.")
    result = analyze(str(tmp_path / "z.txt"), str(tmp_path / "a.txt"), "--json")
    assert [r.document.title for r in records(result.stdout)] == ["Zinc mine reopens", "Apple harvest falls"]


def test_cli_analyze_missing_path_alone_fails_with_one_line():
    result = analyze("no/such/article.txt")
    assert result.exit_code == 1
    assert "no/such/article.txt: no such file or folder" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "analysed 0, failed 1"


def test_cli_analyze_standard_input():
    result = analyze("-", "--json", stdin="Dam repairs finished\n\nRepairs on the dam ended on Friday, engineers said.")
    assert result.exit_code == 0, result.stderr
    [record] = records(result.stdout)
    assert record.document.title == "Dam repairs finished"
    assert record.document.source == "<stdin>"


def test_cli_analyze_standard_input_in_cp1251():
    text = "Новости\n\nМинистр заявил, что переговоры продолжатся на следующей неделе."
    result = analyze("-", "--json", stdin=text.encode("cp1251"))
    [record] = records(result.stdout)
    assert record.text.endswith("на следующей неделе.")


def test_cli_analyze_standard_input_over_the_limit_is_refused():
    result = analyze("-", "--max-bytes", "100", stdin="The minister said the talks would go on. " * 10)
    assert result.exit_code == 1
    assert "<stdin>: too large: 410 bytes, the limit is 100" in result.stderr


def test_cli_analyze_empty_standard_input_is_reported():
    result = analyze("-", stdin="")
    assert result.exit_code == 1
    assert "<stdin>: empty input" in result.stderr


def test_cli_analyze_out_writes_records_to_the_file(tmp_path):
    out = tmp_path / "records.jsonl"
    result = analyze(str(GOOD_TEXT), "--json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    [record] = records(out.read_text("utf-8"))
    assert record.document.title.startswith("Moldova signs gas deal")


def test_cli_analyze_explicit_png_file_is_refused_by_type(tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(PNG)
    result = analyze(str(image), str(GOOD_TEXT), "--json")
    assert result.exit_code == 1
    assert f"{image}: unsupported input" in result.stderr
    assert len(records(result.stdout)) == 1


def test_cli_analyze_unreadable_file_is_reported(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text("Some text.")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = analyze(str(locked))
    assert result.exit_code == 1
    assert f"{locked}: cannot read it (Permission denied)" in result.stderr


def test_cli_analyze_summary_mode_prints_title(tmp_path):
    result = analyze(str(GOOD_TEXT))
    assert result.exit_code == 0
    assert "Moldova signs gas deal with Romania" in result.stdout
