-- 0010_code_addressee: the mission a coded paragraph addresses (issue #16). The acronym of the
-- mission the Council gives the task to ("Requests MONUSCO to ..."), or NULL when the paragraph
-- names it generically ("the Mission", "the Force"). A resolution that tasks several forces
-- (AMISOM and UNSOS, MISCA and BINUCA) keeps each task with its own addressee.
ALTER TABLE codes ADD COLUMN mission VARCHAR;
