-- 0005_measures: the impartiality index and mandate inheritance (peaceops.measures).
-- Every value decomposes into the codes behind it: impartiality_terms lists them.

CREATE TABLE impartiality_resolution (
    resolution INTEGER PRIMARY KEY, partial_terms INTEGER NOT NULL,
    evenhanded_terms INTEGER NOT NULL, "index" DOUBLE, version VARCHAR NOT NULL
);

CREATE TABLE impartiality_terms (    -- the tasks and named targets behind each value
    resolution INTEGER NOT NULL, term VARCHAR NOT NULL, side VARCHAR NOT NULL,
    paragraph VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    quote VARCHAR NOT NULL
);

CREATE TABLE mandate_inheritance (   -- per mission and resolution: what happened to each task
    mission VARCHAR NOT NULL, resolution INTEGER NOT NULL, date DATE, task VARCHAR NOT NULL,
    status VARCHAR NOT NULL, modality_before VARCHAR, modality_after VARCHAR,
    strength_before VARCHAR[], strength_after VARCHAR[], source_resolution INTEGER,
    note VARCHAR, version VARCHAR NOT NULL
);

CREATE TABLE impartiality_mission_year (
    mission VARCHAR NOT NULL, year INTEGER NOT NULL, resolution INTEGER,
    partial_terms INTEGER NOT NULL, evenhanded_terms INTEGER NOT NULL, "index" DOUBLE,
    version VARCHAR NOT NULL
);
