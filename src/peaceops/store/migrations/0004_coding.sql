-- 0004_coding: what the mandate coder read from each resolution (peaceops.coding).
-- Every row that points into a text carries [start, "end") offsets into resolutions.text and
-- the quote they select; every row records the coder that produced it.

CREATE TABLE coding_runs (           -- one row per `peaceops code` run
    run_at TIMESTAMP, coder VARCHAR, segmenter VARCHAR, taxonomy VARCHAR,
    chapter_vii_rules VARCHAR, target_rules VARCHAR, resolutions INTEGER, seconds DOUBLE
);

CREATE TABLE paragraphs (
    resolution INTEGER NOT NULL, kind VARCHAR NOT NULL, label VARCHAR NOT NULL,
    number INTEGER, parent VARCHAR, depth INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, segmenter VARCHAR NOT NULL
);

CREATE TABLE segmentation_failures ( -- resolutions the segmenter could not read, with why
    resolution INTEGER NOT NULL, reason VARCHAR NOT NULL, segmenter VARCHAR NOT NULL
);

CREATE TABLE codes (
    resolution INTEGER NOT NULL, paragraph VARCHAR NOT NULL, task VARCHAR NOT NULL,
    modality VARCHAR NOT NULL, verb VARCHAR, strength VARCHAR[], start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, quote VARCHAR NOT NULL, partiality VARCHAR NOT NULL,
    coder VARCHAR NOT NULL
);

CREATE TABLE chapter_vii (
    resolution INTEGER PRIMARY KEY, operative BOOLEAN NOT NULL, paragraphs VARCHAR[],
    start INTEGER, "end" INTEGER, quote VARCHAR, mentions INTEGER NOT NULL,
    article_39 BOOLEAN NOT NULL, article_39_start INTEGER, article_39_end INTEGER,
    article_39_quote VARCHAR, rules VARCHAR NOT NULL
);

CREATE TABLE targets (
    resolution INTEGER NOT NULL, paragraph VARCHAR NOT NULL, "group" VARCHAR NOT NULL,
    actor_id VARCHAR, relation VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    quote VARCHAR NOT NULL, inferred BOOLEAN NOT NULL, rules VARCHAR NOT NULL
);
