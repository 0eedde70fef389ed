-- 0007_sources: what each build loaded, one row per source (was created by the build itself).
CREATE TABLE IF NOT EXISTS sources (              -- every source of peaceops.sources: loaded or missing
    name VARCHAR, description VARCHAR, status VARCHAR, rows BIGINT, seconds DOUBLE,
    paths VARCHAR
);
