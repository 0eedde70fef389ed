-- 0014_deployed_strength: deployed strength per mission-year beyond IPI's end (issue #28).
-- One row per mission and year, from one source, named in basis:
--   'ipi_monthly'   the mean of IPI's months in the year (personnel_mission_month; months says
--                   how many), troops, police, observers and total as IPI counts them;
--   'geopko_yearly' Geo-PKO's troops: the sum over the year's deployment locations of
--                   ave_no_troops (each location's mean over the year's deployment maps), for
--                   the years after IPI's series ends (March 2017). Troops only: Geo-PKO codes
--                   police (unpol) and military observers (unmo) as present or not, never as
--                   counts, so police, observers and total are NULL on these rows.
-- geopko_troops is Geo-PKO's figure for the same mission-year on every row where Geo-PKO has
-- one (also under IPI rows), so that the two sources can be compared (peaceops.store.strength).
CREATE TABLE deployed_strength_year (
    mission VARCHAR NOT NULL, year INTEGER NOT NULL, troops INTEGER, police INTEGER,
    observers INTEGER, total INTEGER, basis VARCHAR NOT NULL, months INTEGER,
    locations INTEGER, geopko_troops INTEGER, source VARCHAR NOT NULL,
    PRIMARY KEY (mission, year)
);
