"""`python -m gazetteer geoparse PATH... --jsonl`: the DESIGN.md contract, folders, and broken files."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer.textfile import TextFileError, read_text

ROOT = Path(__file__).resolve().parents[2]


def _geoparse(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gazetteer", "geoparse", *args, "--jsonl"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_jsonl_contract_over_a_folder_with_a_broken_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = "قصفت الطائرات مدينة سراقب بريف إدلب الشرقي"
    (tmp_path / "a" / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "x.TXT").write_text("لا أماكن هنا", encoding="utf-8")
    (tmp_path / "b" / "y.txt").write_bytes(b"\x00\x01\x02binary")
    run = _geoparse(str(tmp_path))
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["doc"] for r in rows] == ["a/x.txt", "b/x.TXT", "b/y.txt"]
    first = rows[0]["mentions"][0]
    assert text[first["start"]:first["end"]] == first["text"] == "سراقب"
    assert {"place_id", "name_ar", "name_en", "kind", "admin1", "lat", "lon", "score"} <= first.keys()
    assert rows[1]["mentions"] == []
    assert rows[2]["mentions"] == [] and "binary" in rows[2]["error"]
    assert run.returncode == 1 and "y.txt" in run.stderr


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256", "utf-16"])
def test_read_text_decodes_common_arabic_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes("قصف على حماة وإدلب اليوم، وفرّ الأهالي نحو الحدود الشمالية".encode(encoding))
    assert read_text(path).startswith("قصف على حماة")


def test_read_text_refuses_oversized_files(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("حماة " * 100, encoding="utf-8")
    with pytest.raises(TextFileError, match="too large"):
        read_text(path, max_bytes=100)


def test_fit_without_the_gold_sets_says_where_it_looked(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gazetteer", "fit", "--dry-run", "--shared", str(tmp_path), "dev"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert str(tmp_path / "gold" / "dev_places.jsonl") in done.stderr
