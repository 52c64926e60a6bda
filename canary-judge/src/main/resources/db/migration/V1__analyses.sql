-- Completed analyses, one row each, shared by every replica of the judge (canary-judge.store.type=postgres).
-- The queryable columns say what was judged; what renders the answer and the report again is kept compressed:
-- the verdict JSON (the public contract's document) and, when the analysis has one, the report document
-- (flame graphs, per-pod evidence) — never the raw profiles.
CREATE TABLE analyses (
    id             text        PRIMARY KEY,
    completed_at   timestamptz NOT NULL,
    -- From receiving the request to the verdict, in microseconds (the precision of timestamptz).
    elapsed_micros bigint,
    application    text,
    namespace      text,
    result         text        NOT NULL CHECK (result IN ('PASS', 'FAIL', 'INCONCLUSIVE')),
    -- The profile source: pyroscope, local, upload.
    source         text,
    -- The named config, or null for the defaults.
    config         text,
    -- The analysed window; null when the source applied none (uploads, the local directory by default).
    window_start   timestamptz,
    window_end     timestamptz,
    -- {"baseline": {"labels": {NAME: VALUE, ...}}, "canary": {"labels": {...}}}
    selectors      jsonb       NOT NULL,
    profile_types  text[]      NOT NULL,
    -- gzip of the verdict JSON (UTF-8).
    verdict        bytea       NOT NULL,
    -- gzip of the report document JSON (UTF-8), or null.
    report         bytea
);

-- Retention deletes the oldest rows first (by age, and beyond a row count): (completed_at, id) orders them
-- completely, so replicas cleaning up at the same time agree on which rows go.
CREATE INDEX analyses_completed_at ON analyses (completed_at, id);

-- "The verdicts of this application, newest first".
CREATE INDEX analyses_application_completed_at ON analyses (application, completed_at DESC);
