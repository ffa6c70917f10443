"""Place mentions built by hand from a table, so that event tests exercise the extractor alone."""
from __future__ import annotations

from gazetteer.mention import Mention

Places = dict[str, tuple[str, str, str, float, float]]  # name: (place_id, kind, admin1, lat, lon)


def fixed_mentions(text: str, places: Places) -> list[Mention]:
    """Every occurrence of a table name in `text` (longest names first, no overlaps), as mentions."""
    out: list[Mention] = []
    for name in sorted(places, key=len, reverse=True):
        pid, kind, admin1, lat, lon = places[name]
        start = 0
        while (i := text.find(name, start)) >= 0:
            if not any(m.start < i + len(name) and i < m.end for m in out):
                out.append(Mention(i, i + len(name), name, pid, name, pid, kind, admin1, lat, lon, 0.9))
            start = i + len(name)
    return sorted(out, key=lambda m: m.start)
