-- 0018_views: figures and documents drawn from the whole knowledge base, kept in it so that a
-- page's first view does not draw them again (issue #30; peaceops.store.views and
-- peaceops.report.views). `peaceops build` draws them; any change of the store (`add`, `code`)
-- deletes them all (peaceops.store.files.changed_database), and a page then draws live.
--
-- key   what it is: 'mission:<ACRONYM>' (the mission page's figures), 'council' (the Council
--       page's figures over all years), 'claims' (the paper's claims document);
-- code  the fingerprint of the peaceops code that drew it (peaceops.store.views.code_fingerprint):
--       a row drawn by other code is never used;
-- body  the JSON of what was drawn (figures as {"svg", "rows"}).
CREATE TABLE views (
    key VARCHAR PRIMARY KEY, code VARCHAR NOT NULL, body VARCHAR NOT NULL
);
