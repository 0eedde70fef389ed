-- 0012_mandate_acts: the Council's acts on missions' mandates, read from the texts (issue #28).
-- One row per resolution, mission and act: establish, renew, rollover (a technical renewal),
-- final (a final renewal), change (tasks, ceilings or posture), drawdown, terminate, tasks
-- (the coder found tasks addressed to the mission, and no other act) or addresses (an operative
-- paragraph names the mission, which nothing else links: no act on its mandate). The span (start, end)
-- selects the quote in the resolution's text; named_as says how the text names the mission
-- (acronym, name, or generic: "the Force", resolved to the mission the text names nearest
-- before); end_date is the new end of the mandate where the clause gives one; rule and coder
-- are the pattern and the version that found the row.
CREATE TABLE mandate_acts (
    resolution INTEGER NOT NULL, paragraph VARCHAR NOT NULL, mission VARCHAR NOT NULL,
    act VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote VARCHAR NOT NULL,
    end_date DATE, named_as VARCHAR NOT NULL, rule VARCHAR NOT NULL, coder VARCHAR NOT NULL
);
