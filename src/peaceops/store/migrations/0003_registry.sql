-- 0003_registry: facts curated in peaceops/registry/data, each row with a citation.

CREATE TABLE missions (
    acronym VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, type VARCHAR NOT NULL,
    host_iso3 VARCHAR[] NOT NULL, start DATE, "end" DATE, predecessor VARCHAR,
    successor VARCHAR, citation VARCHAR NOT NULL
);

CREATE TABLE mission_resolutions (
    acronym VARCHAR NOT NULL, number INTEGER NOT NULL, year INTEGER NOT NULL,
    role VARCHAR NOT NULL, note VARCHAR, citation VARCHAR NOT NULL,
    PRIMARY KEY (acronym, number)
);

CREATE TABLE actors (
    actor_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    aliases VARCHAR[], iso3 VARCHAR[], active_from INTEGER, active_to INTEGER,
    citation VARCHAR NOT NULL
);

CREATE TABLE actor_aliases (         -- derived: one row per alias, for matching texts
    actor_id VARCHAR NOT NULL, alias VARCHAR NOT NULL
);

CREATE TABLE partner_presence (
    actor_id VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, start DATE NOT NULL, "end" DATE,
    start_precision VARCHAR, role VARCHAR, citation VARCHAR NOT NULL
);

CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY, date DATE NOT NULL, date_precision VARCHAR NOT NULL,
    mission VARCHAR NOT NULL, actor_id VARCHAR, type VARCHAR NOT NULL, description VARCHAR,
    citation VARCHAR NOT NULL
);
