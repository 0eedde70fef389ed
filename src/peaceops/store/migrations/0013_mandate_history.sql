-- 0013_mandate_history: every mission's mandate history, one row per mission and resolution
-- (issue #28): the curated registry's rows, the acts read from the texts (mandate_acts, without
-- `addresses`), the UN Mandate Registry extracts' citations, and, for resolutions without text,
-- candidates from the vote records' agenda items (confirmed = false: for a human to confirm; the
-- measures never read them). role is the curated role where a curated row cites one, else the
-- strongest act the texts support (establish, terminate, renew, change; tasks where the text
-- only gives the mission tasks); acts lists the acts
-- read from the text; source lists where the link comes from; note says which acts were
-- discounted and why. The measures read confirmed rows in date order.
CREATE TABLE mandate_history (
    acronym VARCHAR NOT NULL, number INTEGER NOT NULL, date DATE, year INTEGER,
    role VARCHAR NOT NULL, acts VARCHAR[], source VARCHAR NOT NULL, confirmed BOOLEAN NOT NULL,
    has_text BOOLEAN NOT NULL, end_date DATE, paragraph VARCHAR, citation VARCHAR NOT NULL,
    note VARCHAR, version VARCHAR NOT NULL
);
ALTER TABLE impartiality_mission_year ADD COLUMN note VARCHAR;
