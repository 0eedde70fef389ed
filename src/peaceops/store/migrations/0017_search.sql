-- 0017_search: the full-text search index (issue #30; docs/adr/006-search-index.md), a plain
-- inverted index written by `peaceops build` (peaceops.store.search_index) from the tables it
-- covers, so that no extension is needed at run time.
--
-- search_documents: one row per searchable thing. kind is
--   'paragraph'  a resolution's paragraph or sub-paragraph (`paragraphs`); text is its own
--                words (a paragraph's span without its sub-paragraphs', which are documents
--                of their own); url /resolutions/<n>#p-<label>, the page's anchor;
--   'resolution' a resolution's symbol and title;
--   'mission'    a mission's acronym, name and host countries;
--   'group'      an actor of the registry (armed group, alternative partner, host
--                government, regional force): name and aliases; url /groups/<actor_id>;
--   'event'      an event of the registry: description, actor, type; url the mission page.
-- key identifies the row in its own table (resolution:label, number, acronym, actor_id,
-- event_id). year_from/year_to bound the years it covers (NULL: unknown, never filtered out);
-- missions are the missions it belongs to (for the mission filter). length counts its tokens.
CREATE TABLE search_documents (
    document INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    url VARCHAR NOT NULL, title VARCHAR NOT NULL, text VARCHAR NOT NULL,
    resolution INTEGER, year_from INTEGER, year_to INTEGER, missions VARCHAR[] NOT NULL,
    length INTEGER NOT NULL
);

-- search_postings: one row per token of a document's text (the title is not indexed: it
-- repeats the resolution's symbol in every paragraph), in term order. term is
-- the token folded (lower case, accents removed); position its place among the document's
-- tokens. A hyphenated word (M-23) is its parts at consecutive positions plus the joined term
-- (m23) at the first part's position with span the number of parts, so that M23 and M-23
-- find each other and a phrase steps over either (next position = position + span).
CREATE TABLE search_postings (
    term VARCHAR NOT NULL, document INTEGER NOT NULL, position INTEGER NOT NULL,
    span UTINYINT NOT NULL
);
