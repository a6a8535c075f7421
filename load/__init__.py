"""load: the DuckDB store (db.py), its schema (schema.sql) and search index (search.py)."""

DEFAULT_DB = "data/keikaku.duckdb"   # here, not in db.py, so that the CLI knows it without importing DuckDB
