"""DuckDB: the schema, one transaction per document, bulk loads, queries and exports.
Everything else reaches the database through these functions."""
from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from keikaku.models import PlanRecords
from keikaku.normalize.indicators import indicator_rows

from . import DEFAULT_DB  # defined in load/__init__.py, where the CLI reads it without importing DuckDB
from . import search as search_index
from .rows import column_types, insert_rows

if TYPE_CHECKING:   # pandas only for queries and exports: an ingest inserts plain rows (load/rows.py)
    import pandas as pd

# relations holding a document's rows, replaced together on re-ingest
RELATIONS = ("documents", "measures", "observations", "schedule", "evaluations", "unparsed_tables")
# every public relation, for export: the document relations and the log of ingests (only appended to)
PUBLIC = (*RELATIONS, "ingest_log")
# A read-only connection is a sandbox: the SQL it runs reads this database and nothing else.
# No file or network access (read_*, glob, COPY … TO, EXPORT DATABASE, ATTACH), no extension
# installed or loaded, and no SET that could undo it. Exports write their files in Python.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def schema_sql() -> str:
    return files("keikaku.load").joinpath("schema.sql").read_text(encoding="utf-8")


def connect(db: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, for writing, create) the database with the public relations in place.
    A read-only connection is sandboxed (SANDBOX): it can touch no file but the database."""
    db = Path(db)
    if read_only:
        if not db.exists():
            raise FileNotFoundError(f"{db}: no database here yet; run `keikaku ingest` first")
        con = duckdb.connect(str(db), read_only=True, config=dict(SANDBOX))
        if missing_columns(con):          # made by an older version: add the new columns first
            con.close()
            connect(db).close()
            con = duckdb.connect(str(db), read_only=True, config=dict(SANDBOX))
        return con
    made_before = db.exists()
    db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db))
    con.execute(schema_sql())
    if made_before:      # a database schema.sql has just made lacks nothing (migrate takes 0.1 s)
        migrate(con)
    refresh_indicators(con)
    return con


def missing_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(relation, column, type) the current schema.sql has and this database lacks (relations included)."""
    reference = duckdb.connect()
    try:
        reference.execute(schema_sql())
        wanted = reference.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                                   "ORDER BY table_name, column_index").fetchall()
    finally:
        reference.close()
    present = set(con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall())
    return [(relation, name, kind) for relation, name, kind in wanted if (relation, name) not in present]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add to a database made by an older schema.sql the columns the current one has (columns are
    only ever added, so this is all a migration needs; new relations are made by schema.sql itself).
    Returns the "relation.column" added."""
    added = []
    for relation, name, kind in missing_columns(con):
        con.execute(f'ALTER TABLE {relation} ADD COLUMN "{name}" {kind}')
        added.append(f"{relation}.{name}")
    return added


def document_key(con: duckdb.DuckDBPyConnection, stem: str, source_path: str, sha256: str) -> str:
    """The `document` key a file loads under. The same file again (same absolute path, else same
    content) keeps the key it has; a new file takes its stem, or, when another file of that stem is
    loaded, stem_<first 8 hex of its sha256>, so that it never replaces another file's rows."""
    for column, value in (("source_path", source_path), ("sha256", sha256)):
        found = con.execute(f"SELECT document FROM documents WHERE {column} = ? ORDER BY document LIMIT 1",
                            [value]).fetchone()
        if found:
            return found[0]
    taken = con.execute("SELECT count(*) FROM documents WHERE document = ?", [stem]).fetchone()[0]
    return f"{stem}_{sha256[:8]}" if taken else stem


def log_ingest(con: duckdb.DuckDBPyConnection, *, document: str, source_path: str, sha256: str | None,
               started_at: datetime, seconds: float, status: str, message: str, warnings: list[str],
               figures_not_loaded: int) -> None:
    """Append one row to ingest_log (its own statement: a failed file's row is written too)."""
    con.execute("INSERT INTO ingest_log (document, source_path, sha256, started_at, seconds, status, message, "
                "warnings, figures_not_loaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [document, source_path, sha256, started_at, seconds, status, message,
                 json.dumps(warnings, ensure_ascii=False), figures_not_loaded])


def refresh_indicators(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the `indicators` relation from the taxonomy the package ships."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM indicators")
        insert_rows(con, "indicators", indicator_rows())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def load_records(con: duckdb.DuckDBPyConnection, records: PlanRecords) -> dict[str, int]:
    """Replace everything of one document in one transaction; one bulk insert per relation
    from plain rows (load/rows.py: no pandas, numpy or pyarrow in an ingest). On any error
    nothing of the document changes. The DELETEs find the document's rows through the
    `document` indexes (schema.sql), so a replace costs the same in a small or a large database."""
    document = records.document.document
    batches = {
        "documents": [records.document], "measures": records.measures, "observations": records.observations,
        "schedule": records.schedule, "evaluations": records.evaluations, "unparsed_tables": records.unparsed_tables,
    }
    types = column_types(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for relation in RELATIONS:
            con.execute(f"DELETE FROM {relation} WHERE document = ?", [document])
        for relation, items in batches.items():
            insert_rows(con, relation, [item.model_dump() for item in items], types)
        search_index.index_document(con, records, types=types)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed write (disk full) may have ended the transaction: report the write's own error
        raise
    return {relation: len(items) for relation, items in batches.items()}


def query(sql: str, db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """Run SQL on a sandboxed read-only connection and return a DataFrame."""
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def require(con: duckdb.DuckDBPyConnection, db: str | Path, *tables: str) -> None:
    """A database made by an older keikaku lacks the newer relations until its next ingest."""
    present = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    missing = [table for table in tables if table not in present]
    if missing:
        raise FileNotFoundError(f"{db}: no {', '.join(missing)} yet (made by an older keikaku); "
                                "run `keikaku ingest` on its files again")


def search(text: str, db: str | Path = DEFAULT_DB, limit: int = 50) -> pd.DataFrame:
    """Measures and indicators whose text holds every token of `text`, best first."""
    con = connect(db, read_only=True)
    try:
        require(con, db, "search_entries", "search_tokens")
        return search_index.search(con, text, limit=limit)
    finally:
        con.close()


def indicators_summary(db: str | Path = DEFAULT_DB, all_keys: bool = False) -> pd.DataFrame:
    """Indicator keys with how many cities and documents have figures for each (only keys in
    use unless `all_keys`)."""
    having = "" if all_keys else "HAVING count(o.document) > 0"
    con = connect(db, read_only=True)
    try:
        require(con, db, "indicators")
    finally:
        con.close()
    return query(f"""
        SELECT i.indicator_key, i.name_ja, i.name_en, i.unit,
               count(DISTINCT o.municipality) AS cities, count(DISTINCT o.document) AS documents,
               count(o.document) AS observations
        FROM indicators i LEFT JOIN observations o USING (indicator_key)
        GROUP BY ALL {having}
        ORDER BY cities DESC, documents DESC, observations DESC, i.indicator_key""", db)


def documents_summary(db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """What is loaded: one row per document with its counts."""
    return query("""
        SELECT d.document, d.municipality, d.municipality_code, d.plan_kind, d.period_start, d.period_end, d.pages,
               (SELECT count(*) FROM measures m WHERE m.document = d.document) AS measures,
               (SELECT count(*) FROM observations o WHERE o.document = d.document) AS observations,
               (SELECT count(*) FROM schedule s WHERE s.document = d.document) AS schedule,
               (SELECT count(*) FROM evaluations e WHERE e.document = d.document) AS evaluations,
               (SELECT count(*) FROM unparsed_tables u WHERE u.document = d.document) AS unparsed_tables
        FROM documents d ORDER BY d.document""", db)


EXPORT_FORMATS = ("csv", "parquet", "xlsx")
EXPORTED = (*PUBLIC, "indicators", "indicator_compare")


def check_export_options(fmt: str, excel: bool = False) -> None:
    """Refuse an unknown format, and --excel (a BOM for CSV) with any other format."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if excel and fmt != "csv":
        raise ValueError(f"excel=True only changes CSV (a BOM for Excel); it does nothing with format {fmt!r}")


def export(out_dir: str | Path, db: str | Path = DEFAULT_DB, fmt: str = "csv", excel: bool = False) -> list[Path]:
    """Write one file per public relation (CSV or parquet), or one workbook with a sheet per
    relation (xlsx). CSV is UTF-8; with `excel` it carries a BOM so that Excel opens Japanese
    text correctly. VARCHAR[] columns are written as JSON arrays (CSV) or joined with "・" (xlsx)."""
    check_export_options(fmt, excel)
    out = Path(out_dir)
    con = connect(db, read_only=True)
    try:
        frames = {relation: con.execute(f"SELECT * FROM {relation} ORDER BY ALL").df() for relation in EXPORTED
                  if relation in {row[0] for row in con.execute("SHOW TABLES").fetchall()}}
    finally:
        con.close()
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = out / "keikaku.xlsx"
        write_xlsx(frames, path)
        return [path]
    written = []
    for relation, frame in frames.items():
        if fmt == "parquet":
            path = out / f"{relation}.parquet"
            frame.to_parquet(path, index=False)
        else:
            path = out / f"{relation}.csv"
            write_csv(frame, path, excel=excel)
        written.append(path)
    return written


def _cell(value):
    """A value as Excel should hold it: lists joined with "・", NULL empty, numpy scalars as Python."""
    import numpy as np
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple, np.ndarray)):
        return "・".join(str(item) for item in list(value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        value = value.item()
    return excel_safe(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


DATE_TEXT_COLUMNS = {"published"}     # YYYY[-MM[-DD]] as text; a whole date becomes an Excel date


def _date_or_text(value):
    from datetime import date

    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _display_width(value) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """One workbook, a sheet per relation: typed cells (numbers, booleans, timestamps, and a
    `published` that is a whole date as a date; a year or month stays text), the header row
    frozen, column widths set from the contents (at most 60)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for relation, frame in frames.items():
        sheet = book.create_sheet(relation)
        sheet.append(list(frame.columns))
        widths = [_display_width(column) for column in frame.columns]
        dates = [column in DATE_TEXT_COLUMNS for column in frame.columns]
        for row in frame.itertuples(index=False):
            values = [_date_or_text(_cell(value)) if is_date else _cell(value) for value, is_date in zip(row, dates)]
            sheet.append(values)
            widths = [max(width, _display_width(value) if value is not None else 0) for width, value in zip(widths, values)]
        for number, (column, width) in enumerate(zip(frame.columns, widths), start=1):
            letter = get_column_letter(number)
            sheet.column_dimensions[letter].width = min(width + 2, 60)
            if str(frame[column].dtype).startswith("datetime"):
                for cell in sheet[letter][1:]:
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif column in DATE_TEXT_COLUMNS:
                for cell in sheet[letter][1:]:
                    if cell.is_date:
                        cell.number_format = "yyyy-mm-dd"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    book.save(path)


# OWASP CSV injection: a text cell starting with one of these is a formula to Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value):
    """A text cell Excel would run as a formula, with a leading ' so that it shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str))


def write_csv(frame: pd.DataFrame, path: Path | None, excel: bool = False) -> str | None:
    """CSV with list columns as JSON arrays; UTF-8, CRLF between records (RFC 4180; so that a
    cell holding a bare CR is quoted). For Excel (`excel`): a BOM, and every text cell that would
    be read as a formula prefixed with ' (plain CSV keeps the value)."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if not (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype)):
            continue  # numbers, dates and booleans: never a formula
        if any(_is_list(value) for value in frame[column]):
            frame[column] = frame[column].map(
                lambda value: json.dumps(list(value), ensure_ascii=False) if value is not None else None)
        if excel:
            frame[column] = frame[column].map(excel_safe)
    encoding = "utf-8-sig" if excel else "utf-8"
    if path is None:
        return frame.to_csv(index=False)
    frame.to_csv(path, index=False, encoding=encoding, lineterminator="\r\n")
    return None
