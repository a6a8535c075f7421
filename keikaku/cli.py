"""keikaku command line: each command is a thin layer over keikaku.api."""
from __future__ import annotations

import argparse
import sys

from . import api

EXAMPLES = """examples:
  keikaku ingest samples/pdf
  keikaku ingest plan.pdf --municipality 千曲市
  keikaku query "SELECT municipality, indicator, fiscal_year, value, unit FROM observations WHERE kind = 'target'"
  keikaku export --out exports --excel
  keikaku documents
  keikaku review 003_83b83b3c34cf7f73 --out review.html
  keikaku query "SELECT observation_id, text FROM observations LIMIT 3"; keikaku review --observation ID
"""


def _ingest(args) -> int:
    def report(result: api.IngestResult) -> None:
        if result.ok:
            print(result.line())
            for warning in result.warnings if args.verbose else []:
                print(f"  warning: {warning}")
        else:
            print(result.line(), file=sys.stderr)

    results = api.ingest(args.paths, db=args.db, municipality=args.municipality, password=args.password,
                         show_progress=sys.stderr.isatty(), on_result=report, keep_unparsed=args.keep_unparsed)
    if not results:
        print("error: no .pdf, .txt or .tsv files in " + " ".join(args.paths), file=sys.stderr)
        return 2
    failed = sum(not result.ok for result in results)
    if len(results) > 1:
        print(f"{len(results) - failed} of {len(results)} files loaded into {args.db}")
    return 1 if failed else 0


def print_frame(frame, fmt: str) -> None:
    import pandas as pd

    if fmt == "csv":
        sys.stdout.write(api.database.write_csv(frame, None))
    elif fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        frame = frame.astype(object).where(frame.notna(), "")  # NULL shows as blank, not NaN/<NA>
        with pd.option_context("display.unicode.east_asian_width", True, "display.max_rows", 500,
                               "display.max_columns", 50, "display.width", 250, "display.max_colwidth", 40):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def _query(args) -> int:
    print_frame(api.query(args.sql, db=args.db), args.format)
    return 0


def _export(args) -> int:
    for path in api.export(args.out, db=args.db, fmt=args.format, excel=args.excel):
        print(path)
    return 0


def _documents(args) -> int:
    print_frame(api.documents(db=args.db), args.format)
    return 0


def _review(args) -> int:
    if bool(args.document) == bool(args.observation):
        print("error: give either a DOCUMENT or --observation ID", file=sys.stderr)
        return 2
    try:
        path = api.review(args.document, out=args.out, db=args.db, observation=args.observation)
    except LookupError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 1
    print(f"wrote {path}: open file://{path.resolve()} in a browser")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="keikaku", description="Municipal plan PDFs -> one DuckDB database.",
                                   epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read plan documents (.pdf, .txt, .tsv, or folders) into the database")
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.add_argument("--municipality", help="override the municipality the document names")
    ingest.add_argument("--password", help="user password of an encrypted PDF")
    ingest.add_argument("--verbose", "-v", action="store_true", help="print each file's warnings")
    ingest.add_argument("--keep-unparsed", action="store_true",
                        help="load the tables of a document whose layout is not recognized into unparsed_tables "
                             "instead of failing")
    ingest.set_defaults(run=_ingest)

    query = commands.add_parser("query", help="run SQL (read-only)")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(run=_query)

    export = commands.add_parser("export", help="write one file per public relation")
    export.add_argument("--out", required=True, help="folder to write into")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--excel", action="store_true", help="CSV in UTF-8 with BOM, so Excel reads Japanese")
    export.set_defaults(run=_export)

    documents = commands.add_parser("documents", help="list loaded documents with counts")
    documents.add_argument("--format", choices=("table", "csv", "json"), default="table")
    documents.set_defaults(run=_documents)

    review = commands.add_parser("review", help="write an HTML report of a document: each page with a box over "
                                                "every figure read from it")
    review.add_argument("document", nargs="?", help="document key (see `keikaku documents`)")
    review.add_argument("--observation", help="an observation_id (or measure_id): the report of its document, "
                                              "opened at it")
    review.add_argument("--out", help="HTML file to write (default ./<document>.review.html)")
    review.set_defaults(run=_review)

    for command in (ingest, query, export, documents, review):
        command.add_argument("--db", default=api.DEFAULT_DB, help=f"database file (default {api.DEFAULT_DB})")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # SQL errors and the like: one line, no traceback
        print(f"error: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
