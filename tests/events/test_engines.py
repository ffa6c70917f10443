"""Issue 15, build and store side: the Dask engine stores what the local engine stores, event for event
(a real LocalCluster of 2 worker processes); the partitioned store grows by part files, keeps the
store's commit point, recovery and check; large tables are read as streams."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import events.corpus as corpus
from events import dataset
from events.check import check
from events.corpus import Reject, read_articles
from events.pipeline import build
from events.store import dataset_glob, load, parquet_files, read_manifest, current_generation, store_dir

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "dev" / "corpus"


def events_of(out: Path) -> pd.DataFrame:
    loaded = load(out)
    assert loaded.error is None
    return loaded.events.sort_values("event_id").reset_index(drop=True)


@pytest.mark.parametrize("corpus_dir", [ROOT / "seeds", DEV], ids=["seeds", "dev"])
def test_dask_engine_stores_the_local_engines_events(tmp_path, corpus_dir):
    if not corpus_dir.is_dir():
        pytest.skip(f"{corpus_dir} is absent")
    local = build([corpus_dir], tmp_path / "local.parquet", progress=False)
    dask = build([corpus_dir], tmp_path / "dask" / "e.parquet", engine="dask", workers=2, partitions=4,
                 progress=False, partitioned=True)
    forked = build([corpus_dir], tmp_path / "forked.parquet", workers=2, partitions=3, progress=False)
    assert local.error is None and dask.error is None and forked.error is None
    assert (dask.articles_read, dask.articles_new, dask.events_new) == (local.articles_read, local.articles_new,
                                                                         local.events_new)
    pd.testing.assert_frame_equal(events_of(tmp_path / "local.parquet"), events_of(tmp_path / "dask" / "e.parquet"))
    pd.testing.assert_frame_equal(events_of(tmp_path / "local.parquet"), events_of(tmp_path / "forked.parquet"))
    a = load(tmp_path / "local.parquet").articles.sort_values("article_id").reset_index(drop=True)
    b = load(tmp_path / "dask" / "e.parquet").articles.sort_values("article_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)  # mentions included: each article's analysis depends on it alone
    assert sorted(r.to_json()["reason"] for r in local.rejects) == sorted(r.to_json()["reason"] for r in dask.rejects)


def test_dask_engine_duplicates_across_partitions_and_incremental(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i, p in enumerate(seeds[:3]):
        shutil.copy(p, folder / f"{i}a_{p.name}")
    shutil.copy(seeds[0], folder / "9z_copy.txt")  # the same article again, in a later partition
    out = tmp_path / "e.parquet"
    first = build([folder], out, engine="dask", workers=2, partitions=1, progress=False)
    assert first.error is None and first.articles_new == 3 and first.duplicates == 1
    assert [r.input for r in first.rejects if "duplicate" in r.reason] == ["9z_copy.txt"]
    shutil.copy(seeds[3], folder / "5_new.txt")
    again = build([folder], out, engine="dask", workers=2, progress=False)
    assert again.articles_new == 1 and again.already_stored == 4  # the copy is stored too


@pytest.mark.parametrize("engine,workers", [("local", 1), ("local", 2), ("dask", 2)])
def test_copies_in_one_partition_and_in_another_are_duplicates_of_the_first(tmp_path, engine, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i, p in enumerate(seeds[:4]):
        shutil.copy(p, folder / f"{i}_{p.name}")
    shutil.copy(seeds[0], folder / "0_copy.txt")  # partition 1 of 2 inputs: with its original
    shutil.copy(seeds[1], folder / "9_copy.txt")  # partition 3: after its original's
    out = tmp_path / "e.parquet"
    s = build([folder], out, engine=engine, workers=workers, partitions=2, progress=False)
    assert s.error is None and (s.articles_read, s.articles_new, s.duplicates) == (6, 4, 2)
    assert sorted(r.input for r in s.rejects if "duplicate" in r.reason) == ["0_copy.txt", "9_copy.txt"]
    articles = load(out).articles
    assert sorted(articles.doc) == sorted(f"{i}_{p.name}" for i, p in enumerate(seeds[:4]))
    alone = build(seeds[:4], tmp_path / "alone.parquet", progress=False)
    assert s.events_total == alone.events_total > 0


def test_a_file_gone_before_a_worker_reads_it_is_a_reject(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for p in seeds[:2]:
        shutil.copy(p, folder / p.name)
    rejects: list[Reject] = []
    units = list(corpus.read_units([folder], rejects))
    (folder / seeds[0].name).unlink()  # listed by the reader, removed before a worker reads it
    made = [corpus.unit_article(u, rejects) for u in units]
    assert made[0] is None and made[1] is not None and made[1].doc == seeds[1].name
    assert [(r.input, r.reason) for r in rejects] == [(seeds[0].name, "unreadable: No such file or directory")]


def test_partitioned_store_grows_by_part_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    shutil.copy(ROOT / "seeds" / "seeds.csv", folder / "seeds.csv")
    for p in seeds[:3]:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "store" / "e.parquet"
    s1 = build([folder], out, partitioned=True, progress=False)
    assert s1.error is None and s1.articles_new == 3
    gen1 = current_generation(out)
    files1 = {f.name for f in parquet_files(out)}
    assert out.is_symlink() and all(f.parent.name.startswith("month=") for f in parquet_files(out))
    for p in seeds[3:]:
        shutil.copy(p, folder / p.name)
    s2 = build([folder], out, progress=False)  # stays partitioned without the flag
    assert s2.articles_new == len(seeds) - 3 and s2.already_stored == 3
    gen2 = current_generation(out)
    assert gen2 != gen1 and read_manifest(gen2)["layout"] == "partitioned"
    # the first build's part files are the same files (hard links), not rewritten
    old = [e for e in read_manifest(gen2)["files"]["articles"]["parts"] if s1.build_id in e["path"]]
    assert old and all((gen2 / "articles" / e["path"]).stat().st_nlink >= 1 for e in old)
    assert files1 <= {f.name for f in parquet_files(out)}
    full = build([folder], tmp_path / "whole.parquet", progress=False)
    pd.testing.assert_frame_equal(events_of(out), events_of(tmp_path / "whole.parquet"))
    assert full.events_total == s2.events_total
    # other tools read the link as a dataset; DuckDB-style glob names the current generation
    assert len(pd.read_parquet(out)) == s2.events_total
    assert dataset_glob(out).startswith(str(gen2))
    report = check(out)
    assert report.ok and not report.problems, report


def test_partitioned_store_recovers_a_killed_builds_stage_and_check_finds_damage(tmp_path):
    out = tmp_path / "e.parquet"
    build([ROOT / "seeds"], out, partitioned=True, progress=False)
    stage = store_dir(out) / "stage-killed"
    (stage / "events").mkdir(parents=True)
    (stage / "lock").write_text("")
    assert load(out).error is None and not stage.exists()  # a reader's recovery removed it (no owner)
    part = parquet_files(out, "articles")[0]
    data = part.read_bytes()
    part.unlink()
    part.write_bytes(data[:-10] + b"0123456789")  # damaged in place (a new inode: links to it are not)
    report = check(out)
    assert any("checksum" in p for p in report.problems)


def test_migrating_a_generation_store_to_partitioned_keeps_its_events(tmp_path):
    out = tmp_path / "e.parquet"
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    build(seeds[:2], out, progress=False)
    before = events_of(out)
    s = build(seeds[2:], out, partitioned=True, progress=False)
    assert s.error is None and read_manifest(current_generation(out))["layout"] == "partitioned"
    after = events_of(out)
    assert set(before.event_id) < set(after.event_id)
    assert len(after) == s.events_total


def test_id_index():
    ids = ["0123456789abcdef", "ffffffffffffffff", "0000000000000000"]
    index = dataset.IdIndex(ids)
    assert all(i in index for i in ids) and "0123456789abcdee" not in index and "xyz" not in index
    odd = dataset.IdIndex(["a", "b"])
    assert "a" in odd and "c" not in odd and len(odd) == 2


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_large_tables_are_streamed_with_the_same_articles(tmp_path, monkeypatch, suffix):
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    path = tmp_path / f"t{suffix}"
    if suffix == ".jsonl":
        rows = [json.dumps({"text": t, "published": "2019-07-01"}, ensure_ascii=False) for t in texts]
        rows.insert(2, "{not json")
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    else:
        pd.DataFrame({"text": texts, "published": "2019-07-01"}).to_csv(path, index=False)
    whole: list[Reject] = []
    a = [(x.doc, x.article_id, x.published) for x in read_articles([path], whole)]
    monkeypatch.setattr(corpus, "STREAM_TABLE_BYTES", 10)
    streamed: list[Reject] = []
    b = [(x.doc, x.article_id, x.published) for x in read_articles([path], streamed)]
    assert a == b and len(a) == len(texts) and whole == streamed
