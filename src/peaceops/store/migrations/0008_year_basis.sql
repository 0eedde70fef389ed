-- 0008_year_basis: what each mission-year's impartiality index rests on (see #12).
-- basis: 'coded' (the resolution in force has text), 'carried_forward' (it has none; the
-- codes come from source_resolution, the last earlier resolution with text) or 'no_codes'.
ALTER TABLE impartiality_mission_year ADD COLUMN basis VARCHAR;
ALTER TABLE impartiality_mission_year ADD COLUMN source_resolution INTEGER;
