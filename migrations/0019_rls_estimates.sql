-- The force-isolation policies' test written so the planner estimates it sensibly (issue #19: lists at scale).
-- Inlined, `current_setting('app.force_id', true) IN ('*', force_id::text)` is an ANY over an expression with no
-- statistics: the planner gave it 0.5% selectivity and multiplied that with the query's own force filter, so a
-- force's list was estimated at a few dozen rows, read whole through a bitmap scan and sorted (100 ms for one page
-- of the largest force at 100,000 incidents) instead of read in order from (force_id, occurred_at, id) and stopped
-- after one page (0.5 ms). As a CASE the planner gives it 50%: the same answer for every row, a sane estimate.
CREATE OR REPLACE FUNCTION app_sees_force(row_force uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN current_setting('app.force_id', true) = '*' THEN true ELSE current_setting('app.force_id', true) = row_force::text END $$;
