-- latency_bucket() without a table: the bucket lower bounds of core/latency-histogram.ts are built
-- here once (lower(0) = 0, lower(b + 1) = lower(b) + max(1, floor(lower(b) / 100)), while
-- lower(b) <= 2^31 - 1) and written into the function as a constant array, searched by
-- width_bucket (a binary search). IMMUTABLE and not STRICT, so the planner inlines it and folds the
-- array once per statement; the table version cost an index lookup per call (a quarter of a second
-- per events batch on PGlite). Negative and null durations have no bucket (null), as before.
DO $$
DECLARE lowers text;
BEGIN
	WITH RECURSIVE b(i, lo) AS (
		SELECT 0, 0::bigint
		UNION ALL
		SELECT i + 1, lo + greatest(1, lo / 100) FROM b WHERE lo + greatest(1, lo / 100) <= 2147483647
	)
	SELECT array_agg(lo ORDER BY i)::int[]::text INTO lowers FROM b;
	EXECUTE format(
		'CREATE OR REPLACE FUNCTION latency_bucket(ms integer) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
		format('SELECT CASE WHEN ms >= 0 THEN (width_bucket(ms, %L::int[]) - 1)::smallint END', lowers)
	);
END
$$;
--> statement-breakpoint
DROP TABLE "latency_bucket_bounds" CASCADE;
