-- 0016_actor_provider: who provides an alternative security partner (issue #29, claims 12
-- and 17): 'western' (a Western state or alliance: Serval, Barkhane, Takuba, Sangaris, ISAF),
-- 'non_western_state' (a non-Western state's forces or a force acting for one: Wagner, Africa
-- Corps, Russian instructors, Rwanda's, Burundi's and Uganda's bilateral forces) or 'regional'
-- (a regional organisation's force: G5 Sahel, EAC, SADC). NULL for every other kind of actor.
ALTER TABLE actors ADD COLUMN provider VARCHAR;
