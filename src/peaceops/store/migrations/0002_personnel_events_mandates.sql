-- 0002_personnel_events_mandates: personnel, conflict events and mandate codes.
-- One table per loader output of peaceops.sources.personnel, .events and .mandates; column names
-- and order follow the frames. Dates are first days of months unless the column says otherwise.
-- Personnel counts are persons; NULL means unknown, except where a loader documents that the
-- file's empty cells mean zero.

-- personnel ----------------------------------------------------------------------------------

CREATE TABLE personnel_mission_month ( -- personnel/ipi/data_mission.csv (empty counts = 0)
    mission VARCHAR NOT NULL, date DATE NOT NULL, host VARCHAR, host_iso3 VARCHAR, hq VARCHAR,
    continent VARCHAR, region VARCHAR, contributors INTEGER, troops INTEGER, police INTEGER,
    observers INTEGER, total INTEGER NOT NULL,
    PRIMARY KEY (mission, date)
);

CREATE TABLE personnel_global_month ( -- personnel/ipi/data_monthly.csv (all missions)
    date DATE PRIMARY KEY, contributors INTEGER, troops INTEGER, troops_mean DOUBLE,
    troops_median DOUBLE, troops_sd DOUBLE, police INTEGER, police_mean DOUBLE,
    police_median DOUBLE, police_sd DOUBLE, experts INTEGER, experts_mean DOUBLE,
    experts_median DOUBLE, experts_sd DOUBLE, total INTEGER, total_mean DOUBLE,
    total_median DOUBLE, total_sd DOUBLE
);

CREATE TABLE personnel_contributor_mission_month ( -- personnel/ipi/contributor_mission_month_2009_2014.csv
    contributor VARCHAR NOT NULL, contributor_iso3 VARCHAR, mission VARCHAR NOT NULL,
    date DATE NOT NULL, individual_police_male INTEGER, individual_police_female INTEGER,
    individual_police INTEGER, formed_police_male INTEGER, formed_police_female INTEGER,
    formed_police INTEGER, experts_male INTEGER, experts_female INTEGER, experts INTEGER,
    troops_male INTEGER, troops_female INTEGER, troops INTEGER, total_male INTEGER,
    total_female INTEGER, total INTEGER
);

CREATE TABLE personnel_contributor_month ( -- personnel/ipi/contributors_monthly/<Country>.csv (empty = 0)
    contributor VARCHAR NOT NULL, contributor_iso3 VARCHAR, date DATE NOT NULL, troops INTEGER,
    police INTEGER, experts INTEGER
);

CREATE TABLE ipi_missions ( -- personnel/ipi/missions.json (HQ 0, 0 -> NULL)
    mission VARCHAR PRIMARY KEY, host VARCHAR, host_iso3 VARCHAR, host_iso3_file VARCHAR,
    hq VARCHAR, lat DOUBLE, lon DOUBLE
);

CREATE TABLE personnel_authorized ( -- personnel/mandate_contribute/Personnel_shortfall_data.dta
    mission VARCHAR NOT NULL, date DATE NOT NULL, host VARCHAR, host_iso3 VARCHAR,
    authorized_troops DOUBLE, authorized_police DOUBLE, authorized_observers DOUBLE,
    authorized_total DOUBLE, troops INTEGER, police INTEGER, observers INTEGER, total INTEGER,
    contributors INTEGER,
    PRIMARY KEY (mission, date)
);

CREATE TABLE peacekeeper_fatalities ( -- personnel/mandate_contribute/Contigent-mission-month_data.dta, by cause
    mission VARCHAR NOT NULL, date DATE NOT NULL, contributor VARCHAR NOT NULL,
    contributor_iso3 VARCHAR, cause VARCHAR NOT NULL, deaths INTEGER NOT NULL
);

CREATE TABLE peacekeeper_fatalities_by_type ( -- same file, by personnel type
    mission VARCHAR NOT NULL, date DATE NOT NULL, contributor VARCHAR NOT NULL,
    contributor_iso3 VARCHAR, personnel_type VARCHAR NOT NULL, deaths INTEGER NOT NULL
);

CREATE TABLE pko_conflict_month ( -- personnel/mandate_contribute/UN and Non-UN Peacekeeping_v2-2019.dta
    location VARCHAR NOT NULL, location_iso3 VARCHAR, date DATE NOT NULL, mission VARCHAR NOT NULL,
    org VARCHAR NOT NULL, active BOOLEAN, incompatibility VARCHAR, only_police BOOLEAN,
    location_ccode INTEGER, conflict_id INTEGER, episode_id INTEGER, mission_id INTEGER,
    sipri_troops INTEGER, sipri_police INTEGER, sipri_observers INTEGER, sipri_total INTEGER,
    ipi_troops INTEGER, ipi_police INTEGER, ipi_observers INTEGER, ipi_total INTEGER,
    troops DOUBLE, police DOUBLE, observers DOUBLE, total DOUBLE
);

CREATE TABLE geopko_locations ( -- personnel/geo-pko/FrontMap_v.2.3.csv (yearly)
    mission VARCHAR NOT NULL, year INTEGER NOT NULL, country VARCHAR, country_iso3 VARCHAR,
    location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, infantry INTEGER,
    no_troops INTEGER, reserve INTEGER, hq INTEGER, unpol INTEGER, med INTEGER, av INTEGER,
    unmo INTEGER, ave_no_troops DOUBLE
);

CREATE TABLE geopko_tcc ( -- personnel/geo-pko/TCCMap_v.2.3.csv (country from FrontMap)
    mission VARCHAR NOT NULL, year INTEGER NOT NULL, country_iso3 VARCHAR,
    location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, year_overview VARCHAR,
    no_tcc INTEGER
);

CREATE TABLE geopko_troop_types ( -- personnel/geo-pko/TTMap_v.2.3.csv (country from FrontMap)
    mission VARCHAR NOT NULL, year INTEGER NOT NULL, country_iso3 VARCHAR,
    location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, infantry INTEGER, eng INTEGER,
    med INTEGER, sig INTEGER, av INTEGER, riv INTEGER, maint INTEGER, trans INTEGER
);

CREATE TABLE personnel_global_year ( -- personnel/owid_un_peacekeeping.csv (December figures)
    year INTEGER PRIMARY KEY, missions INTEGER, total INTEGER, police INTEGER, observers INTEGER,
    troops INTEGER
);

-- events -------------------------------------------------------------------------------------

CREATE TABLE ucdp_events ( -- events/ucdp-ged-car/GEDEvent_v23_1.geojson (dates are days)
    id INTEGER PRIMARY KEY, relid VARCHAR, year INTEGER, active_year INTEGER, code_status VARCHAR,
    type_of_violence INTEGER, conflict_new_id INTEGER, conflict_name VARCHAR,
    dyad_new_id INTEGER, dyad_name VARCHAR, side_a_new_id INTEGER, side_a VARCHAR,
    side_b_new_id INTEGER, side_b VARCHAR, gwnoa VARCHAR, gwnob VARCHAR,
    date_start DATE NOT NULL, date_end DATE, date_prec INTEGER, deaths_a INTEGER,
    deaths_b INTEGER, deaths_civilians INTEGER, deaths_unknown INTEGER, best INTEGER,
    high INTEGER, low INTEGER, country VARCHAR, country_id INTEGER, country_iso3 VARCHAR,
    region VARCHAR, adm_1 VARCHAR, adm_2 VARCHAR, where_coordinates VARCHAR,
    where_description VARCHAR, where_prec INTEGER, priogrid_gid INTEGER,
    latitude DOUBLE NOT NULL, longitude DOUBLE NOT NULL, event_clarity INTEGER,
    number_of_sources INTEGER, source_article VARCHAR, source_office VARCHAR,
    source_date VARCHAR, source_headline VARCHAR, source_original VARCHAR
);

-- mandates -----------------------------------------------------------------------------------

CREATE TABLE dpa2010_missions ( -- mandates/dpa-2010/origdata.xls, heading rows per mission
    mission VARCHAR PRIMARY KEY, heading VARCHAR, component_count INTEGER, lead_entity VARCHAR,
    mandate_source VARCHAR, latest_decision VARCHAR, mandate_length VARCHAR,
    mandate_resolutions INTEGER[], latest_resolution INTEGER
);

CREATE TABLE dpa2010_components ( -- mandates/dpa-2010/origdata.xls, non-empty component cells
    mission VARCHAR NOT NULL, row INTEGER NOT NULL, component_group VARCHAR,
    component VARCHAR NOT NULL, label VARCHAR, cell_text VARCHAR NOT NULL,
    resolutions INTEGER[] NOT NULL
);

CREATE TABLE mandate_registry_pkm2026 ( -- missions/un-mandates-registry/pkm2026/all_mandates.csv
    origin_document VARCHAR, file VARCHAR, entity VARCHAR, entity_long VARCHAR, section VARCHAR,
    section_title VARCHAR, part_in_document VARCHAR, description VARCHAR, link VARCHAR,
    symbol VARCHAR, full_document_symbol VARCHAR, source VARCHAR
);

CREATE TABLE mandate_registry_ppb2027 ( -- missions/un-mandates-registry/ppb2027/all_mandates.csv
    origin_document VARCHAR, part_in_document VARCHAR, file VARCHAR, addendum VARCHAR,
    part VARCHAR, section VARCHAR, section_title VARCHAR, entity_long VARCHAR, entity VARCHAR,
    programme VARCHAR, programme_title VARCHAR, subprogramme VARCHAR, subprogramme_title VARCHAR,
    description VARCHAR, link VARCHAR, symbol VARCHAR, full_document_symbol VARCHAR,
    source VARCHAR
);

CREATE TABLE mission_budgets ( -- missions/un-mandates-registry/peacekeeping_mission_budgets.csv
    short_name VARCHAR, full_name VARCHAR, document_url VARCHAR, document_symbol VARCHAR,
    budget_cycle INTEGER, notes VARCHAR
);

CREATE TABLE un_entities ( -- missions/un-mandates-registry/entity_details.csv
    entity_long VARCHAR, entity VARCHAR, combined VARCHAR, "show" VARCHAR, "group" VARCHAR,
    sub_group VARCHAR, un_principal_organ VARCHAR, category VARCHAR, ceb_member VARCHAR,
    head_of_entity_level VARCHAR, head_of_entity_title VARCHAR, head_of_entity_name VARCHAR,
    entity_url VARCHAR, comment VARCHAR, description VARCHAR, annual_report_link VARCHAR,
    transparency_portal_link VARCHAR, organizational_chart VARCHAR
);

CREATE TABLE pema_codes ( -- mandates/pema-dev/*.csv, one row per non-empty task cell
    release VARCHAR NOT NULL, resolution INTEGER NOT NULL, year INTEGER,
    mission VARCHAR NOT NULL, variable VARCHAR NOT NULL, task VARCHAR NOT NULL, stem VARCHAR,
    modality VARCHAR, paragraphs VARCHAR, cell_text VARCHAR NOT NULL, inherited BOOLEAN,
    source_resolution INTEGER
);

CREATE TABLE pema_resolutions ( -- mandates/pema-dev/*.csv, one row per resolution and mission
    release VARCHAR NOT NULL, resolution INTEGER NOT NULL, year INTEGER, date DATE,
    mission VARCHAR NOT NULL, country VARCHAR, country_iso3 VARCHAR, mandate_renewal BOOLEAN,
    mandate_minor_adjustment BOOLEAN, mandate_complete_adjustment BOOLEAN, comments VARCHAR
);
