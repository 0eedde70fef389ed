-- 0006_fragmentation: a yearly series of Council division (peaceops.measures.fragmentation).

CREATE TABLE fragmentation_year (
    year INTEGER NOT NULL, scope VARCHAR NOT NULL, source VARCHAR NOT NULL,
    drafts INTEGER NOT NULL, adopted INTEGER NOT NULL, vetoed INTEGER NOT NULL,
    failed INTEGER NOT NULL, non_unanimous INTEGER NOT NULL, unanimity_share DOUBLE,
    abstentions INTEGER NOT NULL, p5_abstentions INTEGER, vetoes_chn INTEGER NOT NULL,
    vetoes_fra INTEGER NOT NULL, vetoes_gbr INTEGER NOT NULL, vetoes_rus INTEGER NOT NULL,
    vetoes_sun INTEGER NOT NULL, vetoes_usa INTEGER NOT NULL, version VARCHAR NOT NULL
);

CREATE TABLE vetoes_topic_year (      -- vetoed drafts per year and topic, with who vetoed
    year INTEGER NOT NULL, topic VARCHAR NOT NULL, vetoes INTEGER NOT NULL,
    vetoed_by VARCHAR NOT NULL, source VARCHAR NOT NULL
);
