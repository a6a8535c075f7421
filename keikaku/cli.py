"""keikaku command line: each command is a thin layer over keikaku.api.

keikaku.api (and with it pandas, DuckDB, pdfplumber, SudachiPy) is imported by the command
that runs, never at start-up: `keikaku --help` answers in a tenth of a second.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from keikaku.load import DEFAULT_DB

from .terminal import escaped

if TYPE_CHECKING:
    from . import api

EXAMPLES = """examples:
  keikaku ingest samples/pdf
  keikaku ingest plan.pdf --municipality 千曲市
  keikaku query "SELECT municipality, indicator, fiscal_year, value, unit FROM observations WHERE kind = 'target'"
  keikaku review 003_83b83b3c34cf7f73 --out review.html
  keikaku review --observation ID          (an observation_id from the observations relation)
  keikaku query --file report.sql          (or: keikaku query - < report.sql)
  keikaku indicators
  keikaku search "ふるさと納税"
  keikaku export --out exports --format xlsx
  keikaku export --format parquet --partitioned dataset
  keikaku --db other.duckdb documents      (--db before or after the command, or KEIKAKU_DB)

exit codes:
  0  all done (every file loaded)
  1  some files failed to load (missing, unreadable, no plan layout), or loaded with unreadable pages
     (`ok (partial)`, unless --allow-partial), or the database refused the query
  2  usage error: bad arguments, no such database, no input files found, an empty query
  130  interrupted (Ctrl-C): the file being read was not loaded
"""


def database(args) -> str:
    """--db wherever it was given, else KEIKAKU_DB, else the default."""
    return getattr(args, "db", None) or os.environ.get("KEIKAKU_DB") or DEFAULT_DB


def say(line: str, stream=None) -> None:
    """Print one line of ours (above a progress bar), with whatever came from a file or a file
    name escaped: a name cannot forge a line, a cell cannot drive the terminal."""
    from tqdm import tqdm

    tqdm.write(escaped(line), file=stream or sys.stdout)


def _ingest(args) -> int:
    from . import api

    def report(result: api.IngestResult) -> None:
        if not result.ok:
            say(result.line(), sys.stderr)
        elif not args.quiet:
            say(result.line())
            for warning in result.warnings if args.verbose else []:
                say(f"  warning: {warning}")

    db = database(args)
    from keikaku.extract.limits import FileLimits

    results = api.ingest(args.paths, db=db, municipality=args.municipality, password=args.password,
                         show_progress=sys.stderr.isatty() and not args.quiet, on_result=report,
                         keep_unparsed=args.keep_unparsed, jobs=args.jobs,
                         limits=FileLimits(max_pages=args.max_pages, max_seconds=args.time_limit,
                                           max_figures=args.max_figures),
                         warn=lambda message: say(f"warning: {message}", sys.stderr))
    if not results:
        say("error: no .pdf, .txt or .tsv files in " + " ".join(args.paths), sys.stderr)
        return 2
    failed = sum(not result.ok for result in results)
    partial = sum(result.partial for result in results)
    if len(results) > 1 and not args.quiet:
        say(f"{len(results) - failed} of {len(results)} files loaded into {db}" + (f" ({partial} partial)" if partial else ""))
    return 1 if failed or (partial and not args.allow_partial) else 0


def display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns, with … where it was cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        used += display_width(char)
        if used > width - 1:
            break
        out += char
    return out + "…"


def fit_to_terminal(frame, columns: int):
    """Cut the longest text cells (never below 8 columns) until the table fits `columns`."""
    frame = frame.astype(str)
    widths = {name: max([display_width(str(name)), *map(display_width, frame[name])]) for name in frame.columns}
    while sum(widths.values()) + len(widths) - 1 > columns:
        widest = max(widths, key=widths.get)
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    for name, width in widths.items():
        frame[name] = frame[name].map(lambda value, width=width: truncate(value, width))
    return frame


def print_frame(frame, fmt: str) -> None:
    import shutil

    import pandas as pd

    if fmt == "csv":
        from keikaku.load.db import write_csv

        sys.stdout.write(write_csv(frame, None))
    elif fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        frame = frame.astype(object).where(frame.notna(), "")  # NULL shows as blank, not NaN/<NA>
        frame = frame.map(lambda value: escaped(value) if isinstance(value, str) else value)
        frame.columns = [escaped(str(column)) for column in frame.columns]
        if sys.stdout.isatty():                                   # a terminal: long cells cut to fit its width
            frame = fit_to_terminal(frame, shutil.get_terminal_size().columns)
        with pd.option_context("display.unicode.east_asian_width", True, "display.max_rows", 500,
                               "display.max_columns", 50, "display.width", 250, "display.max_colwidth", None):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def read_sql(args) -> str:
    """The SQL argument, or `-`/no argument with SQL piped on stdin, or --file."""
    if args.file and args.sql:
        raise UsageError("give the SQL as an argument or with --file, not both")
    if args.file:
        with open(args.file, encoding="utf-8") as handle:
            return handle.read()
    if args.sql == "-" or (args.sql is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if args.sql is None:
        raise UsageError("no SQL: give it as an argument, with --file, or on stdin (`-`)")
    return args.sql


def _nonempty(sql: str) -> str:
    if not sql.strip():
        raise UsageError("no SQL: the query is empty")
    return sql


def _query(args) -> int:
    from . import api

    print_frame(api.query(_nonempty(read_sql(args)), db=database(args)), args.format)
    return 0


def _export(args) -> int:
    from . import api

    if bool(args.out) == bool(args.partitioned):
        raise UsageError("give either --out DIR or --partitioned DIR (with --format parquet)")
    for path in api.export(args.out or args.partitioned, db=database(args), fmt=args.format, excel=args.excel,
                           partitioned=bool(args.partitioned)):
        if not args.quiet:
            print(path)
    return 0


def _documents(args) -> int:
    from . import api

    print_frame(api.documents(db=database(args)), args.format)
    return 0


def _review(args) -> int:
    from . import api

    if bool(args.document) == bool(args.observation):
        print("error: give either a DOCUMENT or --observation ID", file=sys.stderr)
        return 2
    try:
        path = api.review(args.document, out=args.out, db=database(args), observation=args.observation)
    except LookupError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 1
    print(f"wrote {path}: open file://{path.resolve()} in a browser")
    return 0


def _indicators(args) -> int:
    from . import api

    print_frame(api.indicators(db=database(args), all_keys=args.all), args.format)
    return 0


def _search(args) -> int:
    from . import api

    print_frame(api.search(" ".join(args.text), db=database(args), limit=args.limit), args.format)
    return 0


def _schema(args) -> int:
    from . import api

    print(api.schema(), end="")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def positive_float(text: str) -> float:
    """An argparse type: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return value


class UsageError(Exception):
    """Bad arguments: exit code 2."""


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("keikaku")
    except PackageNotFoundError:
        return "unknown"


class VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs ~35 ms a command)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"keikaku {version()}")     # on stdout, as argparse's own version action prints it
        parser.exit()


def parser() -> argparse.ArgumentParser:
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", default=argparse.SUPPRESS,
                           help=f"database file (default: $KEIKAKU_DB, else {DEFAULT_DB})")
    main = argparse.ArgumentParser(prog="keikaku", description="Municipal plan PDFs -> one DuckDB database.",
                                   epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                                   parents=[db_option])
    main.add_argument("--version", action=VersionAction, nargs=0, help="show the version and exit")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, run, uses_db: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[db_option] if uses_db else [])
        sub.set_defaults(run=run)
        return sub

    ingest = command("ingest", "read plan documents (.pdf, .txt, .tsv, or folders) into the database", _ingest)
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.add_argument("--municipality", help="override the municipality the document names")
    ingest.add_argument("--password", help="user password of an encrypted PDF")
    talk = ingest.add_mutually_exclusive_group()
    talk.add_argument("--verbose", "-v", action="store_true", help="print each file's warnings")
    talk.add_argument("--quiet", "-q", action="store_true", help="print errors only; no progress bar")
    ingest.add_argument("--allow-partial", action="store_true",
                        help="exit 0 even when some pages of a document could not be read (what could be read is "
                             "loaded either way, and its line says `ok (partial)`)")
    ingest.add_argument("--keep-unparsed", action="store_true",
                        help="load the tables of a document whose layout is not recognized into unparsed_tables "
                             "instead of failing")
    ingest.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="read this many files at once, in worker processes (default: the number of cores, "
                             f"{os.cpu_count() or 1}); loading stays one transaction per file, in input order")
    ingest.add_argument("--max-pages", type=positive_int, default=3000,
                        help="refuse a PDF with more pages than this (default 3000)")
    ingest.add_argument("--max-figures", type=positive_int, default=100_000,
                        help="refuse a document of more figures than this, a data table rather than a plan "
                             "(default 100000)")
    ingest.add_argument("--time-limit", type=positive_float, default=600.0, metavar="SECONDS",
                        help="fail a file not read and recognized within this many seconds (default 600)")

    query = command("query", "run SQL (read-only); DuckDB's own error message on failure", _query)
    query.add_argument("sql", nargs="?", help="the SQL; `-` or nothing to read it from stdin")
    query.add_argument("--file", "-f", help="read the SQL from this file")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    export = command("export", "write one file per public relation (csv, parquet) or one workbook (xlsx)", _export)
    export.add_argument("--out", help="folder to write into")
    export.add_argument("--partitioned", metavar="DIR",
                        help="with --format parquet: write DIR/prefecture=…/municipality_code=…/<relation>.parquet, "
                             "a hive-partitioned dataset for Spark, Trino or DuckDB (DIR new or empty)")
    export.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv")
    export.add_argument("--excel", action="store_true", help="CSV in UTF-8 with BOM, so Excel reads Japanese "
                                                             "(CSV only: an error with another format)")
    export.add_argument("--quiet", "-q", action="store_true", help="do not list the files written")

    documents = command("documents", "list loaded documents with counts", _documents)
    documents.add_argument("--format", choices=("table", "csv", "json"), default="table")

    review = command("review", "write an HTML report of a document: each page with a box over every figure "
                               "read from it", _review)
    review.add_argument("document", nargs="?", help="document key (see `keikaku documents`)")
    review.add_argument("--observation", help="an observation_id (or measure_id): the report of its document, "
                                              "opened at it")
    review.add_argument("--out", help="HTML file to write (default ./<document>.review.html)")

    indicators = command("indicators", "indicator keys with how many cities and documents have each", _indicators)
    indicators.add_argument("--all", action="store_true", help="also keys no loaded document has")
    indicators.add_argument("--format", choices=("table", "csv", "json"), default="table")

    search = command("search", "find measures and indicators by words (width and spelling variants match)", _search)
    search.add_argument("text", nargs="+", help="words to find, e.g. ふるさと納税")
    search.add_argument("--limit", type=int, default=50, help="at most this many rows (default 50)")
    search.add_argument("--format", choices=("table", "csv", "json"), default="table")

    command("schema", "print the schema of the public relations (load/schema.sql)", _schema, uses_db=False)
    return main


def _error(message: str, prefix: str = "error: ") -> None:
    print(escaped(f"{prefix}{message}"), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    import duckdb   # after parsing: --help and usage errors answer without loading it

    if getattr(args, "excel", False) and args.format != "csv":
        parser().error("--excel only applies to --format csv")
    try:
        return args.run(args)
    except KeyboardInterrupt:                    # the document being loaded was rolled back; those before it stay
        _error("interrupted: stopped; the file being read was not loaded", prefix="")
        return 130
    except BrokenPipeError:                      # `keikaku query … | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (UsageError, FileNotFoundError, ValueError) as error:
        _error(str(error))
        return 2
    except duckdb.Error as error:                # the whole message: DuckDB's hints ("Did you mean …") included
        _error(f"{type(error).__name__}: {error}")
        return 1
    except Exception as error:                   # anything else: one line, no traceback
        _error(f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
