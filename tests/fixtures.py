"""Test documents made on the fly: small plan PDFs (reportlab, Japanese CID font), PDFs that
are not readable as text (no text layer, (cid:…) glyphs), encrypted and damaged files.
Nothing here is tuned to the samples: the layouts are our own."""
from __future__ import annotations

import io
from pathlib import Path

FONT = "HeiseiKakuGo-W5"


def _canvas(path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), pagesize=(595, 842))


def draw_table(canvas, rows: list[list[str]], x: float, top: float, widths: list[float],
               row_height: float = 22, size: float = 9) -> float:
    """A ruled table, cell borders drawn as lines as Excel exports do. Returns the bottom y."""
    canvas.setFont(FONT, size)
    y = top
    for row in rows:
        cx = x
        for text, width in zip(row, widths):
            canvas.rect(cx, y - row_height, width, row_height)
            canvas.drawString(cx + 3, y - row_height + 7, text)
            cx += width
        y -= row_height
    return y


def plan_pdf(path: Path, title: str, lines_before: list[str], tables: list[tuple[list[list[str]], list[float]]],
             bold_title: bool = False) -> Path:
    """One page: a title (drawn twice over itself when `bold_title`, as bold text often is),
    some lines, then ruled tables."""
    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    for _ in range(2 if bold_title else 1):
        canvas.drawString(60, 790, title)
    canvas.setFont(FONT, 10)
    y = 760
    for line in lines_before:
        canvas.drawString(60, y, line)
        y -= 18
    for rows, widths in tables:
        y = draw_table(canvas, rows, 60, y - 10, widths) - 20
    canvas.save()
    return path


def sample_plan_pdf(path: Path) -> Path:
    """A small implementation plan of an imaginary town, in a layout of our own."""
    return plan_pdf(path, "第2次架空町行政改革実施計画", ["令和7年3月", "架空町", "計画期間 令和7年度から令和9年度まで"], [
        ([["取組名", "窓口のオンライン化"], ["担当課", "総務課・情報政策課"]], [120, 300]),
        ([["指標", "令和7年度", "令和8年度", "令和9年度"],
          ["目標値", "10件", "20件", "30件"],
          ["実績値", "", "", ""]], [120, 100, 100, 100]),
    ], bold_title=True)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1-based, 1 = catalog), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length " + str(len(content)).encode() + extra + b" >>\nstream\n" + content + b"\nendstream"


def image_only_pdf(pages: int = 2) -> bytes:
    """Pages that hold only an image, as a scanner makes them: no text layer."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    image_number = 3 + 2 * pages
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /XObject << /Im1 {image_number} 0 R >> >> >>".encode())
        objects.append(_stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"))
    objects.append(_stream(b"\x80" * 4, b" /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"))
    return raw_pdf(objects)


def cid_glyph_pdf() -> bytes:
    """Text drawn in a Type0 font with no ToUnicode map: extractors see only (cid:N)."""
    glyphs = "".join(f"{code:04X}" for code in range(0x0100, 0x0140)).encode()
    content = b"BT /F1 12 Tf 60 700 Td <" + glyphs + b"> Tj 0 -20 Td <" + glyphs + b"> Tj ET"
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ])


def encrypted_copy(source: Path, target: Path, user_password: str, owner_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def ruled_kpi_plan(path: Path) -> Path:
    """Layout A: ruled tables. A KPI table (指標 | 単位 | 現状値（R5） | 目標値（R8）), then under a
    caption （単位：千円） a year grid with 計画 / 実績 / 評価 rows."""
    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 790, "第3次架空市行政改革推進計画")
    canvas.setFont(FONT, 10)
    for y, text in ((770, "令和6年3月"), (755, "架空市"), (730, "計画期間 令和6年度から令和8年度まで"),
                    (705, "1-1 窓口サービスの向上")):
        canvas.drawString(60, y, text)
    bottom = draw_table(canvas, [["指標", "単位", "現状値（R5）", "目標値（R8）"],
                                 ["電子申請件数", "件", "1,200", "3,000"],
                                 ["窓口待ち時間", "分", "15", "10"]], 60, 690, [160, 60, 100, 100])
    canvas.drawString(60, bottom - 20, "（単位：千円）")
    draw_table(canvas, [["区分", "令和6年度", "令和7年度", "令和8年度"],
                        ["計画", "1,200", "1,300", "1,400"],
                        ["実績", "1,150", "", ""],
                        ["評価", "○", "", ""]], 60, bottom - 30, [120, 100, 100, 100])
    canvas.save()
    return path


def borderless_plan(path: Path) -> Path:
    """Layout B: no rulings at all; columns exist only as word positions. A grid under a line
    of years that stand over the figures, beside a 単位 column, and a baseline ->
    target arrow."""
    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 790, "架空村行財政改革実施計画")
    canvas.setFont(FONT, 10)
    rows = [(700, ["2-1 公共施設の適正管理"]),
            (680, ["目標値", "単位", "2024年度", "2025年度", "2026年度"]),
            (664, ["施設削減数", "施設", "2", "3", "4"]),
            (648, ["点検実施率", "%", "90", "95", "100"]),
            (610, ["2-2 職員の働き方改革"]),
            (590, ["○時間外勤務時間：1,234時間（R5）→1,000時間（R8）"])]
    for y, words in rows:
        x = 60
        for word in words:
            canvas.drawString(x, y, word)
            x += 110 if len(words) > 1 else 0
    canvas.save()
    return path


def text_plan_cp932(path: Path) -> Path:
    """Layout C: a CP932 text file, two pages (form feed); a grid whose second page carries no
    header, and an arrow line."""
    page_one = "\n".join(["架空町まちづくり計画", "架空町", "3-1 ごみ減量化の推進",
                          "区分\tR6\tR7\tR8", "指標\tリサイクル率（％）\t\t", "目標値\t24.0\t25.0\t26.0"])
    page_two = "\n".join(["実績値\t25.1\t\t", "3-2 子育て支援の充実", "○保育所待機児童数：12人（R5）→0人（R11）"])
    path.write_bytes((page_one + "\n\f" + page_two + "\n").encode("cp932"))
    return path


def kpi_variants_text(path: Path) -> Path:
    """Layout D: a 総合計画 chapter as TSV text with KPI cards, a two-row header whose kinds
    stand above the years, and KPI lines separated by colons."""
    path.write_text("\n".join([
        "第4章 協働のまちづくり",
        "4-1 市民協働の推進",
        "指標\t市民活動団体数",
        "現状値\t184団体（R4）",
        "目標値\t220団体（R9）",
        "",
        "4-2 健康づくりの推進",
        "指標\t現状値\t目標値",
        "\t（R5）\t（R11）",
        "特定健診受診率（％）\t45.2\t60.0",
        "",
        "4-3 交流の推進",
        "農家民宿受入人数",
        "現状値（R4）：0人",
        "目標値（R9）：1,300人",
    ]) + "\n", encoding="utf-8")
    return path


def transposed_text(path: Path) -> Path:
    """Layout E: years down the first column under a caption, and a grid of bare 6年度 / 7年度
    whose era is the cover's (令和6年3月)."""
    path.write_text("\n".join([
        "架空市生涯学習推進計画", "令和6年3月", "架空市",
        "5-1 図書館の利用促進",
        "図書館の年間貸出冊数（冊）",
        "年度\t目標値\t実績値",
        "令和4年度\t120,000\t118,500",
        "令和5年度\t125,000\t126,200",
        "令和6年度\t130,000\t",
        "",
        "5-2 公園の維持管理",
        "区分\t6年度\t7年度\t8年度",
        "指標\t改修する公園\t\t",
        "目標値\t10か所\t12か所\t14か所",
    ]) + "\n", encoding="utf-8")
    return path


def merged_kind_plan(path: Path) -> Path:
    """Layout F: a ruled grid whose first column names the kind in a cell merged down two rows,
    with the indicator in the column beside it."""
    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 790, "架空郡架空町行政改革実施計画")
    canvas.setFont(FONT, 10)
    canvas.drawString(60, 765, "6-1 収納対策の強化")
    widths, height, x0, top = [60, 140, 90, 90], 22, 60, 740
    rows = [["区分", "指標", "令和6年度", "令和7年度"],
            ["目標", "市税収納率", "98.5%", "98.6%"],
            [None, "口座振替率", "40%", "42%"],
            ["実績", "市税収納率", "98.4%", ""]]
    xs = [x0]
    for width in widths:
        xs.append(xs[-1] + width)
    bottom = top - height * len(rows)
    for x in xs:                                            # vertical rulings
        canvas.line(x, top, x, bottom)
    for number in range(len(rows) + 1):                     # horizontal rulings, not across the merged cell
        y = top - height * number
        start = xs[1] if number == 2 else xs[0]
        canvas.line(start, y, xs[-1], y)
    for number, row in enumerate(rows):
        y = top - height * (number + 1) + 7
        for text, x in zip(row, xs):
            if text:
                canvas.drawString(x + 3, y - (height / 2 if number == 1 and x == xs[0] else 0), text)
    canvas.save()
    return path


def borderless_kpi(path: Path, ruled_above: bool = False) -> Path:
    """A KPI table drawn without any line, as Word lays one out with tab stops: headings
    centred over their columns, the indicator left-aligned (centred between the two lines of
    its row, or on the first), figures right-aligned with their year on a second line in the
    cell, and an arrow row whose A→B text runs over both figure columns. With `ruled_above`,
    a ruled table stands above it on the same page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 790, "架空市総合戦略 KPI一覧")
    if ruled_above:
        draw_table(canvas, [["取組名", "窓口のオンライン化"], ["担当課", "総務課"]], 60, 780, [120, 300])
    canvas.setFont(FONT, 10)
    canvas.drawString(60, 720, "基本目標1 安心して暮らせるまち")
    canvas.setFont(FONT, 9)
    for x, text in ((150, "指標"), (330, "基準値"), (470, "目標値")):
        canvas.drawCentredString(x, 690, text)
    canvas.drawString(60, 664.5, "市税収納率")
    for x, y, text in ((380, 670, "98.1％"), (380, 659, "（令和5年度）"), (520, 670, "98.6％"), (520, 659, "（令和11年度）"),
                       (380, 640, "850g"), (380, 629, "（令和4年度）"), (520, 640, "800g以下"), (520, 629, "（令和11年度）")):
        canvas.drawRightString(x, y, text)
    canvas.drawString(60, 640, "ごみ排出量（1人1日当たり）")
    canvas.drawString(60, 610, "転入者数")
    arrow = "1,200人（令和5年度）→1,500人（令和11年度）"
    assert 520 - stringWidth(arrow, FONT, 9) < 350          # reaches back over the 基準値 column
    canvas.drawRightString(520, 610, arrow)
    canvas.setFont(FONT, 10)
    canvas.drawString(60, 575, "※基準値の（ ）内は把握した年度")
    canvas.save()
    return path


MAGAZINE_LEFT = ("本市では市民との協働によるまちづくりを進めており、地域の課題を地域で解決する仕組みづくりに"
                 "取り組んできました。自治会や市民活動団体との連携を深め、担い手の育成にも力を入れています。"
                 "令和6年度には新たに三つの地区で地域づくり協議会が発足し、防災訓練や見守り活動など、"
                 "地域の実情に応じた活動が始まっています。")
MAGAZINE_RIGHT = ("行政改革の取組は着実に成果を上げています。窓口のオンライン化により、来庁せずに手続ができる"
                  "件数が増えました。今後も市民サービスの向上と効率的な行政運営の両立を目指します。"
                  "主な指標の状況は次のとおりです。電子申請の件数は順調に伸びており、窓口の待ち時間も"
                  "短くなっています。")


def magazine_page(path: Path) -> Path:
    """A 広報-style page in two columns of prose under a title across both, with a small
    borderless table at the foot of the right column and a footer."""
    canvas = _canvas(path)
    canvas.setFont(FONT, 16)
    canvas.drawCentredString(297.5, 790, "広報かくう 令和7年4月号 行政改革の歩み")
    canvas.setFont(FONT, 10)
    for x, text in ((50, MAGAZINE_LEFT), (315, MAGAZINE_RIGHT)):
        y = 750
        for start in range(0, len(text), 23):
            canvas.drawString(x, y, text[start:start + 23])
            y -= 16
    for y, cells in ((600, ("指標", "基準値", "目標値")), (584, ("電子申請件数", "1,200件", "3,000件")),
                     (568, ("窓口待ち時間", "15分", "10分"))):
        for x, text in zip((315, 420, 490), cells):
            canvas.drawString(x, y, text)
    canvas.drawCentredString(297.5, 40, "－ 1 －")
    canvas.save()
    return path


def records(db, stem: str) -> set[tuple]:
    """(measure, indicator, fiscal_year, kind, value, unit) of a loaded document's observations."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.execute("SELECT measure, indicator, fiscal_year, kind, value, unit FROM observations "
                               "WHERE document = ?", [stem]).fetchall())
    finally:
        con.close()
