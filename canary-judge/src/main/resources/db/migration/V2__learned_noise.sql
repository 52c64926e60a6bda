-- Each service's learned noise: what the baselines of its earlier analyses showed of how each function varies
-- between JVMs of unchanged code, one lesson per analysis with the JVMs (pod names) it came from (NoiseLessons),
-- shared by every replica. One row per service.
CREATE TABLE learned_noise (
    -- The application, with its namespace when the analysis named one: "namespace/application".
    service    text        PRIMARY KEY,
    -- gzip of the lessons JSON (UTF-8, LearnedNoiseJson), oldest lesson first, at most the newest 24.
    lessons    bytea       NOT NULL,
    updated_at timestamptz NOT NULL
);
