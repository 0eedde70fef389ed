-- 0001_core: resolutions, votes, meetings, Council membership and the UN mission lists.
-- One table per loader output (peaceops.sources); derived tables are filled by peaceops.store.build.

CREATE TABLE build_info (            -- one row: when, from where and by which version
    built_at TIMESTAMP, peaceops_version VARCHAR, data_dir VARCHAR, seconds DOUBLE
);

CREATE TABLE data_issues (           -- every quirk a loader repaired or flagged
    source VARCHAR, item VARCHAR, issue VARCHAR, action VARCHAR
);

CREATE TABLE resolution_texts (      -- resolutions/texts, cr-unsc-gold, texts-post2015: every file
    number INTEGER NOT NULL, year INTEGER NOT NULL, text VARCHAR NOT NULL,
    text_source VARCHAR NOT NULL, text_path VARCHAR NOT NULL, encoding VARCHAR NOT NULL,
    preferred BOOLEAN NOT NULL, n_chars INTEGER, stated_date DATE
);

CREATE TABLE resolution_dates (      -- resolutions/all_resolutions_date.dta
    number INTEGER PRIMARY KEY, year INTEGER, date DATE
);

CREATE TABLE resolutions (           -- derived: one row per resolution known from any source
    number INTEGER PRIMARY KEY, year INTEGER, symbol VARCHAR NOT NULL, date DATE,
    date_source VARCHAR, title VARCHAR, title_source VARCHAR, has_text BOOLEAN NOT NULL,
    text VARCHAR, text_source VARCHAR, text_path VARCHAR, encoding VARCHAR, n_chars INTEGER
);

CREATE TABLE member_votes (          -- votes/sc_voting.xlsx, repaired
    draft VARCHAR, draft_label VARCHAR, meeting INTEGER, date DATE, date_stored DATE, resolution INTEGER,
    resolution_year INTEGER, agenda_item VARCHAR, topic VARCHAR, category VARCHAR, region VARCHAR,
    submitted_by VARCHAR, outcome VARCHAR, outcome_label VARCHAR, member VARCHAR,
    member_iso3 VARCHAR, vote VARCHAR
);

CREATE TABLE drafts (                -- derived from member_votes: one row per draft and meeting
    draft VARCHAR, draft_label VARCHAR, meeting INTEGER, date DATE, resolution INTEGER, resolution_year INTEGER,
    agenda_item VARCHAR, topic VARCHAR, outcome VARCHAR, members INTEGER, yes INTEGER,
    no INTEGER, abstain INTEGER, no_p5 VARCHAR, duplicate_set BOOLEAN
);

CREATE TABLE vetoes (                -- votes/unsc_vetoes_1946_sept2022.csv
    date DATE, draft VARCHAR, meeting_record VARCHAR, agenda_item VARCHAR, crisis_topic VARCHAR,
    region VARCHAR, vetoed_by VARCHAR
);

CREATE TABLE council_terms (         -- council/council_membership.csv
    member VARCHAR, member_iso3 VARCHAR, start_year INTEGER, end_year INTEGER, seat VARCHAR,
    note VARCHAR
);

CREATE TABLE council_members (       -- derived: one row per member and year
    year INTEGER, member_iso3 VARCHAR, seat VARCHAR
);

CREATE TABLE meetings (              -- meetings/html/scact<YYYY>_table_en.html
    year INTEGER, meeting_record VARCHAR, meeting INTEGER, date DATE, topic VARCHAR,
    outcome_text VARCHAR, source_file VARCHAR
);

CREATE TABLE meeting_decisions (     -- parsed outcome cells of the meeting tables
    year INTEGER, meeting_record VARCHAR, meeting INTEGER, date DATE, topic VARCHAR,
    kind VARCHAR, symbol VARCHAR, resolution INTEGER, resolution_year INTEGER, outcome VARCHAR,
    yes INTEGER, no INTEGER, abstain INTEGER, tally_text VARCHAR, vetoed_by VARCHAR
);

CREATE TABLE un_pko_list (           -- missions/DPPADPOSS-PKO.csv, repaired
    un_id INTEGER, acronym VARCHAR, name VARCHAR, lead_department VARCHAR, active BOOLEAN,
    start DATE, "end" DATE, location VARCHAR, longitude DOUBLE, latitude DOUBLE, last_update DATE
);

CREATE TABLE mission_start (         -- missions/mission_start.csv
    acronym VARCHAR, start_month DATE, host VARCHAR, host_iso3_file VARCHAR, host_iso3 VARCHAR
);
