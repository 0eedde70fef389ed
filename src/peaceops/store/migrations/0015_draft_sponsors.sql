-- 0015_draft_sponsors: who submitted each draft, from the `Submitted by` column of
-- votes/sc_voting.xlsx (issue #29, claim 16). One row per sponsor of each (draft, meeting,
-- outcome) of `drafts` (the spurious copy of a vetoed draft, drafts.duplicate_set, is not
-- repeated). The list order is the file's (mostly alphabetical): it does not say who held the
-- pen. kind says what a row is:
--   'state'      a member state, sponsor_iso3 its ISO3 code;
--   'president'  a presidential draft ("President"; "President?" as written in two rows);
--   'group'      a body, not a state: "E10", "All Council Members", a Council committee;
--   'none'       the file says "-none-";
--   'missing'    the cell is empty (one row per draft, sponsor NULL);
--   'unknown'    a name the country harmonisation does not know (sponsor kept, no ISO3; also
--                in data_issues).
-- sponsor is the name as written, cleaned of Excel's line-break escapes (_x000D_), quotes,
-- a trailing full stop or sponsor count ("United States (64)"), and rejoined where a comma
-- split one name ("Costa,Rica"); each such repair is in data_issues.
CREATE TABLE draft_sponsors (
    draft VARCHAR, draft_label VARCHAR, meeting INTEGER, date DATE, outcome VARCHAR,
    resolution INTEGER, resolution_year INTEGER, position INTEGER, sponsor VARCHAR,
    sponsor_iso3 VARCHAR, kind VARCHAR NOT NULL
);
