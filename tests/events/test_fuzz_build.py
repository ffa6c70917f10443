"""Issue 14: fuzzing the whole build (reading, decoding, extraction, table conversion, writing) with
hypothesis: random files beside a good article, in every input format, with random names, encodings,
metadata and JSON. No exception escapes, the good article is always stored, the store always opens
and its rejects log always parses."""
import csv
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.pipeline import build
from events.store import load, rejects_path

GOOD = "قصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي يوم 3 آذار 2013 ما أسفر عن مقتل ثلاثة مدنيين."
WORDS = ["قصفت", "قوات", "النظام", "مدينة", "حماة", "إدلب", "مقتل", "انشق", "عنصرا", "اعتقلت", "يوم", "آذار", "2013",
         "9999999999999999999999", "5000000000000000000", "0001-01-01", "عشرات", "ثلاثة", "،", ".", "\n", "=cmd|' /C calc'!A0"]
# Text of news words, numbers and punctuation mixed with anything Unicode can hold (surrogates, NULs, controls).
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=40).map(" ".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
rows = st.fixed_dictionaries({}, optional={"text": texts, "title": texts, "published": st.one_of(texts, scalars),
                                           "url": texts, "source": json_values, "body": json_values})
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
names = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b and not b.startswith(b"."))


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def jsonl(values: list) -> str:
    return "".join(json.dumps(v) + "\n" for v in values)


def csv_text(values: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["text", "title", "published", "url", "source"])
    for v in values:
        writer.writerow([str(v.get(k, "")) for k in ("text", "title", "published", "url", "source")])
    return out.getvalue()


files = st.one_of(
    st.tuples(st.just(".txt"), texts, encodings),
    st.tuples(st.just(".html"), texts.map(lambda t: f"<html><title>{t[:30]}</title><p>{t}</p>"), encodings),
    st.tuples(st.just(".jsonl"), st.lists(st.one_of(rows, json_values), max_size=4).map(jsonl), encodings),
    st.tuples(st.just(".csv"), st.lists(rows, max_size=4).map(csv_text), encodings),
    st.tuples(st.sampled_from([".txt", ".csv", ".jsonl"]), st.binary(max_size=300), st.just(None)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=st.lists(st.tuples(names, files), max_size=5),
       meta=st.lists(st.tuples(names, st.one_of(texts, st.sampled_from(["9999-12-31", "1e308", "0001-01-01"]))), max_size=3))
def test_no_exception_escapes_the_build_and_the_good_article_is_always_stored(inputs, meta):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "good.txt").write_text(GOOD, encoding="utf-8")
        for i, (name, (suffix, content, encoding)) in enumerate(inputs):
            data = content if encoding is None else encode(content, encoding)
            with open(os.path.join(os.fsencode(folder), b"%d-%s%s" % (i, name, suffix.encode())), "wb") as f:
                f.write(data)
        sidecar = "".join(f'"{os.fsdecode(n).replace(chr(34), "")}.txt","{str(d).replace(chr(34), "")}"\n' for n, d in meta)
        (folder / "meta.csv").write_bytes(encode("file,published\ngood.txt,2013-03-04\n" + sidecar, "utf-8"))
        out = Path(tmp) / "out" / "events.parquet"
        summary = build([folder], out, max_bytes=100_000)
        assert summary.error is None
        loaded = load(out)
        assert loaded.error is None
        assert "good.txt" in set(loaded.articles["doc"])
        assert set(loaded.events["article_id"]) <= set(loaded.articles["article_id"])
        assert all(r.reason for r in summary.rejects)
        log = rejects_path(out).read_text(encoding="utf-8").splitlines() if rejects_path(out).exists() else []
        assert [json.loads(line)["build"] for line in log] == [summary.build_id] * len(summary.rejects)

