"""The event-type registry is complete, and adding a type is one registry row plus its triggers."""
import shutil

import pyarrow.parquet as pq
import pytest

import events.lexicon as lexicon_mod
import events.schema as schema
from dashboard.theme import type_colour
from events.corpus import Article, article_id
from events.extract import extract
from events.lexicon import lexicon
from events.schema import COLUMNS, EVENT_SCHEMA, INSTRUMENTS, GeoPrecision, TimePrecision, event_types
from events.store import events_table, read_events_table, write_events
from gazetteer.mention import Mention


def test_every_trigger_type_is_registered_and_every_registered_type_has_triggers():
    trigger_types = {t.event_type for t in lexicon().payloads("trigger")}
    assert trigger_types - INSTRUMENTS == set(event_types())


def test_registry_rows_are_complete():
    roles = {"specific", "outcome"}
    for t in event_types().values():
        assert t.role in roles and t.count_of and t.colour.startswith("#") and t.label
        assert t.family in {u.family for u in event_types().values()}
    ranks = [t.rank for t in event_types().values()]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_every_actor_says_whether_it_flies_aircraft():
    arms = lexicon_mod.read_tsv("actor_arms.tsv")
    assert {r["aircraft"] for r in arms} <= {"yes", "no"}
    assert [r["actor"] for r in arms if [a["actor"] for a in arms].count(r["actor"]) > 1] == []
    assert {r["actor"] for r in arms} == {r["actor"] for r in lexicon_mod.read_tsv("actors.tsv")}


def test_schema_is_the_design_table():
    assert EVENT_SCHEMA.names == COLUMNS
    assert {"count_of", "background", "event_type", "geo_precision", "time_precision"} <= set(COLUMNS)
    assert [p.value for p in TimePrecision] == [1, 2, 3, 4] and [p.value for p in GeoPrecision] == [1, 2, 3]


@pytest.fixture
def lexicon_dir(tmp_path, monkeypatch):
    """A copy of events/data that the registry and the lexicon read instead of the real one."""
    data = tmp_path / "data"
    shutil.copytree(schema.DATA, data)
    monkeypatch.setattr(schema, "DATA", data)
    monkeypatch.setattr(lexicon_mod, "DATA", data)
    for f in (schema.event_types, lexicon_mod.lexicon):
        f.cache_clear()
    yield data
    for f in (schema.event_types, lexicon_mod.lexicon):
        f.cache_clear()


def test_a_new_type_is_one_registry_row_plus_triggers(lexicon_dir, tmp_path):
    with open(lexicon_dir / "event_types.tsv", "a", encoding="utf-8") as f:
        f.write("kidnapping\tkidnapping\toutcome\t10\tno\tyes\tabducted\t500\t#123456\tKidnapping\n")
    with open(lexicon_dir / "triggers.tsv", "a", encoding="utf-8") as f:
        f.write("kidnapping\tاستدرج\tstrong\n")
    text = "استدرج مسلحون ثلاثة مدنيين في بلدة طفس يوم أمس."
    place = Mention(text.index("طفس"), text.index("طفس") + 3, "طفس", "C1", "طفس", "Tafas", "town", "Dar'a",
                    32.74, 36.07, 0.9)
    article = Article("a.txt", text, "", None, None, "2020-03-12", "day", article_id(text))
    rows = extract(article, mentions=[place])
    assert [(r["event_type"], r["location_en"], r["count"], r["count_of"]) for r in rows] == \
        [("kidnapping", "Tafas", 3, "abducted")]
    out = tmp_path / "events.parquet"
    write_events(events_table(rows), out, "parquet")
    assert read_events_table(out, "parquet").column("event_type").to_pylist() == ["kidnapping"]
    assert pq.read_table(out).num_rows == 1
    assert type_colour("kidnapping") == "#123456"


def test_a_trigger_of_an_unregistered_type_is_an_error_not_silence(lexicon_dir):
    with open(lexicon_dir / "triggers.tsv", "a", encoding="utf-8") as f:
        f.write("kidnapping\tاستدرج\tstrong\n")
    with pytest.raises(ValueError, match="kidnapping"):
        lexicon()
