"""Synthetic events stores: real gazetteer places, 2011-2024, every event type, some undated/unlocated.

Used by the dashboard tests (small, seeded tables) and by bench/dashboard.py (1k-100k events).
The Arabic sentences are templates written for this generator; no text comes from the seeds.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.theme import TYPE_COLOURS

SENTENCES = {
    "defection": "أعلن {n} عنصرا انشقاقهم عن قوات النظام في {place}",
    "desertion": "فر {n} مجندا من ثكنتهم قرب {place}",
    "shelling": "قصفت المدفعية أحياء {place} وسقط {n} جريحا",
    "airstrike": "شنت الطائرات غارة على {place} أسفرت عن مقتل {n} مدنيا",
    "clashes": "اندلعت اشتباكات عنيفة في محيط {place} قتل فيها {n} مقاتلا",
    "bombing": "انفجرت سيارة مفخخة وسط {place} وأوقعت {n} ضحية",
    "killing": "عثر الأهالي على {n} جثة في {place}",
    "arrest": "اعتقلت دورية أمنية {n} شابا في {place}",
    "other": "شهدت {place} حركة نزوح واسعة شملت {n} عائلة",
}
SOURCES = ["Outlet A", "Outlet B", "Outlet C", "Outlet D"]
FIRST_DAY, LAST_DAY = date(2011, 3, 15), date(2024, 12, 31)
EVENTS_PER_ARTICLE = 3


def places() -> pd.DataFrame:
    """Real places (gazetteer table) with the columns the generator needs."""
    from gazetteer.places import load

    df = load()
    return df[["place_id", "name_ar", "name_en", "kind", "admin1_en", "admin2_en", "lat", "lon", "prominence"]]


def make_store(n: int, seed: int = 0, undated: float = 0.03, unlocated: float = 0.02,
               place_table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, articles) in the store's columns: n events, grouped EVENTS_PER_ARTICLE to an article."""
    rng = np.random.default_rng(seed)
    pl = places() if place_table is None else place_table
    weights = pl["prominence"].fillna(0.1).to_numpy() + 0.05
    picks = pl.iloc[rng.choice(len(pl), size=n, p=weights / weights.sum())].reset_index(drop=True)
    types = rng.choice(list(TYPE_COLOURS), size=n)
    days = rng.integers(0, (LAST_DAY - FIRST_DAY).days + 1, size=n)
    counts = np.where(rng.random(n) < 0.35, np.nan, rng.integers(1, 800, size=n).astype(float))
    no_date = rng.random(n) < undated
    no_place = rng.random(n) < unlocated
    cols = {c: picks[c].tolist() for c in ("place_id", "name_ar", "name_en", "kind", "admin1_en", "admin2_en", "lat", "lon")}
    events, articles = [], []
    for a0 in range(0, n, EVENTS_PER_ARTICLE):
        article_id = f"A{seed}-{a0 // EVENTS_PER_ARTICLE:06d}"
        text, mentions, rows = "", [], []
        for i in range(a0, min(a0 + EVENTS_PER_ARTICLE, n)):
            p = {c: values[i] for c, values in cols.items()}
            n_txt = "" if np.isnan(counts[i]) else str(int(counts[i]))
            sentence = SENTENCES[types[i]].format(n=n_txt or "عدد من", place=p["name_ar"]) + ". "
            start = len(text)
            text += sentence
            place_at = start + sentence.index(p["name_ar"])
            mentions.append({"start": place_at, "end": place_at + len(p["name_ar"]), "text": p["name_ar"],
                             "place_id": p["place_id"], "name_ar": p["name_ar"], "name_en": p["name_en"],
                             "kind": p["kind"], "admin1": p["admin1_en"], "lat": p["lat"], "lon": p["lon"],
                             "score": 0.9})
            located = not no_place[i]
            rows.append({
                "event_id": f"E{seed}-{i:07d}", "doc": f"{article_id}.txt", "article_id": article_id,
                "title": f"Report {article_id}", "source": SOURCES[i % len(SOURCES)],
                "url": f"https://example.org/{article_id}",
                "event_date": None if no_date[i] else (FIRST_DAY + timedelta(days=int(days[i]))).isoformat(),
                "time_precision": None if no_date[i] else 1, "event_type": str(types[i]),
                "count": counts[i], "count_text": n_txt or None, "actors": "قوات النظام",
                "place_id": p["place_id"] if located else None, "location_ar": p["name_ar"] if located else None,
                "location_en": p["name_en"] if located else None, "kind": p["kind"] if located else None,
                "admin1": p["admin1_en"] if located else None, "admin2": p["admin2_en"] if located else None,
                "latitude": p["lat"] if located else None, "longitude": p["lon"] if located else None,
                "geo_precision": 1 if located else None, "evidence": sentence.strip(),
                "evidence_start": start, "evidence_end": start + len(sentence.strip()),
            })
        events += rows
        articles.append({"article_id": article_id, "doc": f"{article_id}.txt", "title": f"Report {article_id}",
                         "source": rows[0]["source"], "url": rows[0]["url"], "published": rows[0]["event_date"],
                         "date_precision": "day", "text": text, "mentions": json.dumps(mentions, ensure_ascii=False)})
    ev = pd.DataFrame(events)
    ev["latitude"] = ev["latitude"].astype(float)
    ev["longitude"] = ev["longitude"].astype(float)
    return ev, pd.DataFrame(articles)


def write_store(path: Path, events: pd.DataFrame, articles: pd.DataFrame) -> Path:
    """Write a store as the events package does: FILE.parquet plus FILE.articles.parquet."""
    events.to_parquet(path, index=False)
    articles.to_parquet(path.with_suffix(".articles.parquet"), index=False)
    return path
