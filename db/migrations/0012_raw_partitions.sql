CREATE TABLE "raw_retention" (
	"table_name" text PRIMARY KEY NOT NULL,
	"dropped_before" timestamp with time zone NOT NULL,
	"dropped_rows" bigint NOT NULL,
	"dropped_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Raw jobs, gateway events and probes partitioned by month of their own time (decision 017), so
-- RAW_RETENTION_DAYS drops whole months (db/partitions.ts) while the rollups keep every figure.
-- ensure_month_partitions(parent, months) creates the month partitions <parent>_pYYYY_MM that do
-- not exist yet, for the given months (any instant within each), and returns how many it made.
-- Creators of the same parent queue on an advisory lock; the existence check before it keeps the
-- usual call (every month already there) lock-free. Callers run it in a statement of its own, never
-- inside a batch that already holds locks on the parent (creating a partition locks the parent).
CREATE FUNCTION ensure_month_partitions(parent text, months timestamptz[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	m timestamp;
	part text;
	made integer := 0;
BEGIN
	FOR m IN SELECT DISTINCT date_trunc('month', x AT TIME ZONE 'UTC') FROM unnest(months) AS x WHERE x IS NOT NULL ORDER BY 1 LOOP
		part := format('%s_p%s', parent, to_char(m, 'YYYY_MM'));
		-- A month RAW_RETENTION_DAYS dropped is never made again: its rows are in final rollups.
		CONTINUE WHEN EXISTS (SELECT 1 FROM raw_retention r WHERE r.table_name = parent AND r.dropped_before > (m AT TIME ZONE 'UTC'));
		IF to_regclass(quote_ident(part)) IS NULL THEN
			PERFORM pg_advisory_xact_lock(hashtext('observatory partitions ' || parent));
			IF to_regclass(quote_ident(part)) IS NULL THEN
				EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent,
					(m AT TIME ZONE 'UTC')::text, ((m + interval '1 month') AT TIME ZONE 'UTC')::text);
				made := made + 1;
			END IF;
		END IF;
	END LOOP;
	RETURN made;
END
$$;
--> statement-breakpoint
-- partition_by_month(table, column, key name, key columns, index definitions): the table becomes
-- a partitioned one with the same columns, its rows moved into their months.
CREATE FUNCTION partition_by_month(tbl text, col text, pk_name text, pk_cols text, old_pk text, indexes text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	ix text;
	months timestamptz[];
BEGIN
	EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, tbl || '_unpartitioned');
	EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', tbl || '_unpartitioned', old_pk);
	EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE (%I)', tbl, tbl || '_unpartitioned', col);
	EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s)', tbl, pk_name, pk_cols);
	FOREACH ix IN ARRAY indexes LOOP
		EXECUTE format('DROP INDEX %I', split_part(ix, ' ', 1));
		EXECUTE format('CREATE INDEX %I ON %I USING btree (%s)', split_part(ix, ' ', 1), tbl, substr(ix, length(split_part(ix, ' ', 1)) + 2));
	END LOOP;
	EXECUTE format('SELECT array_agg(DISTINCT date_trunc(''month'', %I AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'') FROM %I', col, tbl || '_unpartitioned') INTO months;
	PERFORM ensure_month_partitions(tbl, coalesce(months, '{}'));
	EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, tbl || '_unpartitioned');
	EXECUTE format('DROP TABLE %I', tbl || '_unpartitioned');
END
$$;
--> statement-breakpoint
SELECT partition_by_month('jobs', 'finished_at', 'jobs_gateway_request_id_finished_at_pk', '"gateway","request_id","finished_at"', 'jobs_gateway_request_id_pk', '{}');
--> statement-breakpoint
SELECT partition_by_month('probes', 'at', 'probes_at_orchestrator_region_pipeline_model_fingerprint_pk', '"at","orchestrator","region","pipeline","model","fingerprint"',
	'probes_at_orchestrator_region_pipeline_model_fingerprint_pk', '{"probes_pair_at \"pipeline\",\"model\",\"at\""}');
--> statement-breakpoint
SELECT partition_by_month('live_traces', 'at', 'live_traces_event_id_at_pk', '"event_id","at"', 'live_traces_pkey', '{}');
--> statement-breakpoint
SELECT partition_by_month('live_statuses', 'at', 'live_statuses_event_id_at_pk', '"event_id","at"', 'live_statuses_pkey', '{}');
--> statement-breakpoint
SELECT partition_by_month('live_tickets', 'at', 'live_tickets_event_id_at_pk', '"event_id","at"', 'live_tickets_pkey', '{"live_tickets_request \"request_id\""}');
--> statement-breakpoint
SELECT partition_by_month('payments_sent', 'at', 'payments_sent_event_id_at_pk', '"event_id","at"', 'payments_sent_pkey', '{"payments_sent_request \"request_id\""}');
--> statement-breakpoint
SELECT partition_by_month('discovery_latencies', 'at', 'discovery_latencies_event_id_idx_at_pk', '"event_id","idx","at"', 'discovery_latencies_event_id_idx_pk', '{}');
--> statement-breakpoint
DROP FUNCTION partition_by_month(text, text, text, text, text, text[]);
