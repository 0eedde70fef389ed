-- 0011_mission_ends_review: the end registry reviewed (issue #28).
-- end_date stays the mandate's end; withdrawal_completed is the end of the withdrawal (the date
-- the Council set for it or a source reports), where it differs or is known (MINUSMA: mandate
-- 2023-06-30, withdrawal 2023-12-31). uncertain: why a field of the row could not be settled
-- from the documents, and what would settle it (NULL when the row is settled).
ALTER TABLE mission_ends ADD COLUMN withdrawal_completed DATE;
ALTER TABLE mission_ends ADD COLUMN uncertain VARCHAR;
