-- 0009_mission_ends: how every mission ended (or that it is still active), cited (issue #18).
-- outcome: active, completed, transition, council_ended, host_withdrew_consent,
-- host_restrictions or other; host_request_date: the host government's first formal request
-- that the mission leave (or end), where there was one. Read by the forecast as its outcome and
-- by the simulation for the successor link only.
CREATE TABLE mission_ends (
    acronym VARCHAR PRIMARY KEY, outcome VARCHAR NOT NULL, end_date DATE,
    end_precision VARCHAR, host_request_date DATE, successor VARCHAR,
    citation VARCHAR NOT NULL, note VARCHAR
);
