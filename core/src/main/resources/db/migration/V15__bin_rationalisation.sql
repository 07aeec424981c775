-- The bin rationalisation report in SQL, for the Bins dashboard: per active bin of a council over
-- [p_from, p_to), its lifts, fill at emptying, hours overflowing and fill rate by weekday, and
-- what to do with it, with the reason. It computes what io.kerbside.planning.report computes for
-- `kerbside plan rationalise` and the API, with the same settings and defaults
-- (docs/rationalisation.md); BinRationalisationIT holds the two together.
--
-- An emptying is a fall of at least p_emptying_drop_pct between two readings of the bin, as
-- planning and the bin-predicted-full rule count one (FillPrediction). Each reading stands for the
-- bin's fill until the next one (the last until p_to), for at most p_max_gap_h; the fill rate adds
-- the rises between readings at most p_max_gap_h apart and divides by the hours between them, per
-- local weekday (p_zone) of the later reading.
--
-- Plans are also what the dashboard's route map and stop table show, so Grafana reads them.
CREATE FUNCTION bin_rationalisation(
        p_council integer,
        p_from timestamptz,
        p_to timestamptz,
        p_zone text DEFAULT 'Europe/London',
        p_emptying_drop_pct double precision DEFAULT 20,
        p_overflow_pct double precision DEFAULT 100,
        p_upsize_overflow_h double precision DEFAULT 24,
        p_underused_fill_pct double precision DEFAULT 50,
        p_underused_rate_pct_per_day double precision DEFAULT 15,
        p_max_gap_h double precision DEFAULT 6,
        p_min_observed_h double precision DEFAULT 24)
    RETURNS TABLE (
        asset_pk bigint,
        asset_ref text,
        name text,
        street text,
        ward text,
        readings integer,
        observed_h double precision,
        lifts integer,
        crew_lifts integer,
        mean_fill_at_emptying_pct double precision,
        max_fill_pct double precision,
        hours_overflowing double precision,
        fill_rate_pct_per_day double precision,
        fill_rate_mon double precision,
        fill_rate_tue double precision,
        fill_rate_wed double precision,
        fill_rate_thu double precision,
        fill_rate_fri double precision,
        fill_rate_sat double precision,
        fill_rate_sun double precision,
        recommendation text,
        reason text)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp
AS $$
WITH bins AS (
    SELECT a.asset_pk, a.asset_ref, a.name, a.street, a.ward,
           CASE WHEN btrim(a.street) <> ''
                THEN coalesce(a.ward, '') || E'\n' || lower(btrim(a.street)) END AS street_key
    FROM asset a
    WHERE a.council_id = p_council AND a.kind = 'bin' AND a.status = 'active'),
fill AS (
    SELECT d.asset_pk, r.ts, r.fill_pct,
           lag(r.fill_pct) OVER w AS prev_fill,
           lead(r.ts) OVER w AS next_ts,
           lead(r.fill_pct) OVER w AS next_fill
    FROM reading r
    JOIN device d ON d.device_pk = r.device_pk
    WHERE r.council_id = p_council AND d.council_id = p_council AND d.asset_pk IS NOT NULL
      AND r.ts >= p_from AND r.ts < p_to AND r.fill_pct IS NOT NULL
    WINDOW w AS (PARTITION BY d.asset_pk ORDER BY r.ts)),
steps AS (
    SELECT f.*,
           greatest(extract(epoch FROM coalesce(f.next_ts, p_to) - f.ts) / 3600.0, 0) AS gap_h,
           extract(isodow FROM f.next_ts AT TIME ZONE p_zone)::int AS next_dow,
           f.next_ts IS NOT NULL
               AND extract(epoch FROM f.next_ts - f.ts) / 3600.0 <= p_max_gap_h AS rated
    FROM fill f
    -- computed once a reading: pulled up into the aggregates below, these expressions would be
    -- evaluated again in each of their thirty FILTERs (four times as slow over 5 million readings)
    OFFSET 0),
figures AS (
    SELECT s.asset_pk,
           count(*)::int AS readings,
           sum(least(s.gap_h, p_max_gap_h)) AS observed_h,
           (count(*) FILTER (WHERE s.prev_fill - s.fill_pct >= p_emptying_drop_pct))::int AS lifts,
           avg(s.prev_fill) FILTER (WHERE s.prev_fill - s.fill_pct >= p_emptying_drop_pct)
               AS mean_fill_at_emptying_pct,
           max(s.fill_pct) AS max_fill_pct,
           coalesce(sum(least(s.gap_h, p_max_gap_h)) FILTER (WHERE s.fill_pct >= p_overflow_pct), 0)
               AS hours_overflowing,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated), 0) * 24 AS fill_rate_pct_per_day,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 1)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 1), 0) * 24 AS fill_rate_mon,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 2)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 2), 0) * 24 AS fill_rate_tue,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 3)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 3), 0) * 24 AS fill_rate_wed,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 4)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 4), 0) * 24 AS fill_rate_thu,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 5)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 5), 0) * 24 AS fill_rate_fri,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 6)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 6), 0) * 24 AS fill_rate_sat,
           sum(greatest(s.next_fill - s.fill_pct, 0)) FILTER (WHERE s.rated AND s.next_dow = 7)
               / nullif(sum(s.gap_h) FILTER (WHERE s.rated AND s.next_dow = 7), 0) * 24 AS fill_rate_sun
    FROM steps s
    GROUP BY s.asset_pk),
crew AS (
    SELECT cs.asset_pk, count(*)::int AS crew_lifts
    FROM collection_stop cs
    WHERE cs.council_id = p_council AND cs.status = 'emptied'
      AND cs.emptied_at >= p_from AND cs.emptied_at < p_to
    GROUP BY cs.asset_pk),
period AS (
    SELECT CASE
             WHEN floor(extract(epoch FROM p_to - p_from) / 86400) > 0
                  AND floor(extract(epoch FROM p_to - p_from) / 86400)::bigint % 7 = 0
             THEN (floor(extract(epoch FROM p_to - p_from) / 86400)::bigint / 7)::text
                  || CASE WHEN floor(extract(epoch FROM p_to - p_from) / 86400) = 7
                          THEN ' week' ELSE ' weeks' END
             WHEN extract(epoch FROM p_to - p_from) / 3600 >= 48
             THEN round((extract(epoch FROM p_to - p_from) / 86400)::numeric)::text || ' days'
             ELSE round((extract(epoch FROM p_to - p_from) / 3600)::numeric)::text || ' h'
           END AS text),
flagged AS (
    SELECT b.*, f.readings, f.observed_h, f.lifts, f.mean_fill_at_emptying_pct, f.max_fill_pct,
           f.hours_overflowing, f.fill_rate_pct_per_day, f.fill_rate_mon, f.fill_rate_tue,
           f.fill_rate_wed, f.fill_rate_thu, f.fill_rate_fri, f.fill_rate_sat, f.fill_rate_sun,
           coalesce(c.crew_lifts, 0) AS crew_lifts,
           coalesce(f.observed_h >= p_min_observed_h, false) AS judged,
           coalesce(f.observed_h >= p_min_observed_h
                    AND f.hours_overflowing > p_upsize_overflow_h, false) AS overflowing
    FROM bins b
    LEFT JOIN figures f ON f.asset_pk = b.asset_pk
    LEFT JOIN crew c ON c.asset_pk = b.asset_pk),
flagged2 AS (
    SELECT x.*,
           coalesce(x.judged AND NOT x.overflowing
                    AND x.fill_rate_pct_per_day < p_underused_rate_pct_per_day
                    AND CASE WHEN x.lifts > 0 THEN x.mean_fill_at_emptying_pct < p_underused_fill_pct
                             ELSE x.max_fill_pct < p_underused_fill_pct END, false) AS underused
    FROM flagged x),
streets AS (
    SELECT y.street_key,
           count(*) FILTER (WHERE y.overflowing) AS n_over,
           count(*) FILTER (WHERE y.underused) AS n_under,
           array_agg(y.asset_ref ORDER BY y.asset_ref COLLATE "C") FILTER (WHERE y.overflowing) AS over_refs,
           array_agg(y.asset_ref ORDER BY y.asset_ref COLLATE "C") FILTER (WHERE y.underused) AS under_refs
    FROM flagged2 y
    WHERE y.street_key IS NOT NULL
    GROUP BY y.street_key),
texts AS (
    SELECT y.*, s.n_over, s.n_under,
           CASE WHEN cardinality(s.over_refs) <= 3 THEN array_to_string(s.over_refs, ', ')
                ELSE array_to_string(s.over_refs[1:3], ', ') || ' and '
                     || (cardinality(s.over_refs) - 3) || ' more' END AS over_text,
           CASE WHEN cardinality(s.under_refs) <= 3 THEN array_to_string(s.under_refs, ', ')
                ELSE array_to_string(s.under_refs[1:3], ', ') || ' and '
                     || (cardinality(s.under_refs) - 3) || ' more' END AS under_text,
           round(y.hours_overflowing::numeric, 1)::text || ' h at or above ' || p_overflow_pct::text
               || ' % in ' || p.text || ' (more than ' || p_upsize_overflow_h::text || ' h)'
               AS overflow_text,
           CASE WHEN y.lifts > 0
                THEN 'mean fill at emptying ' || round(y.mean_fill_at_emptying_pct::numeric)::text
                     || ' % over ' || y.lifts::text
                     || CASE WHEN y.lifts = 1 THEN ' lift' ELSE ' lifts' END
                     || ' (below ' || p_underused_fill_pct::text || ' %)'
                ELSE 'no lift, highest fill ' || round(y.max_fill_pct::numeric)::text
                     || ' % (below ' || p_underused_fill_pct::text || ' %)' END
               || ' and fills ' || round(y.fill_rate_pct_per_day::numeric, 1)::text
               || ' %/day (below ' || p_underused_rate_pct_per_day::text || ')' AS underused_text,
           y.lifts::text || CASE WHEN y.lifts = 1 THEN ' lift' ELSE ' lifts' END
               || ', mean fill at emptying '
               || coalesce(round(y.mean_fill_at_emptying_pct::numeric)::text || ' %', '-')
               AS lifts_text,
           coalesce(round(y.fill_rate_pct_per_day::numeric, 1)::text || ' %/day', '-') AS rate_text,
           p.text AS period
    FROM flagged2 y
    CROSS JOIN period p
    LEFT JOIN streets s ON s.street_key = y.street_key),
judged AS (
    SELECT t.*,
           CASE WHEN t.readings IS NULL OR NOT t.judged THEN 'keep'
                WHEN t.overflowing AND t.n_under > 0 THEN 'rebalance-street'
                WHEN t.underused AND t.n_over > 0 THEN 'rebalance-street'
                WHEN t.overflowing THEN 'upsize-or-add-lift'
                WHEN t.underused THEN 'remove-or-move'
                ELSE 'keep' END AS recommendation,
           CASE WHEN t.readings IS NULL
                THEN 'no fill readings in ' || t.period || ': the sensor is silent, nothing to judge'
                WHEN NOT t.judged
                THEN 'readings cover only ' || round(t.observed_h::numeric, 1)::text || ' h of '
                     || t.period || ' (fewer than ' || p_min_observed_h::text
                     || ' h): too little to judge'
                WHEN t.overflowing AND t.n_under > 0
                THEN t.overflow_text || ' while ' || t.under_text || ' on ' || btrim(t.street)
                     || CASE WHEN t.n_under = 1 THEN ' stays' ELSE ' stay' END || ' underused'
                WHEN t.underused AND t.n_over > 0
                THEN t.underused_text || ', while ' || t.over_text || ' on ' || btrim(t.street)
                     || CASE WHEN t.n_over = 1 THEN ' overflows' ELSE ' overflow' END
                WHEN t.overflowing
                THEN t.overflow_text || '; ' || t.lifts_text || ', fills ' || t.rate_text
                WHEN t.underused THEN t.underused_text || ' in ' || t.period
                ELSE t.lifts_text || ', ' || round(t.hours_overflowing::numeric, 1)::text
                     || ' h overflowing, fills ' || t.rate_text || ': within the thresholds'
           END AS reason
    FROM texts t)
SELECT j.asset_pk, j.asset_ref, j.name, j.street, j.ward,
       coalesce(j.readings, 0), coalesce(j.observed_h, 0), coalesce(j.lifts, 0), j.crew_lifts,
       j.mean_fill_at_emptying_pct, j.max_fill_pct, j.hours_overflowing, j.fill_rate_pct_per_day,
       j.fill_rate_mon, j.fill_rate_tue, j.fill_rate_wed, j.fill_rate_thu, j.fill_rate_fri,
       j.fill_rate_sat, j.fill_rate_sun,
       j.recommendation, j.reason
FROM judged j
ORDER BY array_position(ARRAY['upsize-or-add-lift', 'rebalance-street', 'remove-or-move', 'keep'],
                        j.recommendation),
         j.asset_ref COLLATE "C"
$$;

REVOKE EXECUTE ON FUNCTION bin_rationalisation(integer, timestamptz, timestamptz, text,
    double precision, double precision, double precision, double precision, double precision,
    double precision, double precision) FROM PUBLIC;

DO $$
DECLARE
    job text;
BEGIN
    FOREACH job IN ARRAY ARRAY['kerbside_grafana', 'kerbside_reader', 'kerbside_analytics'] LOOP
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = job) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION bin_rationalisation(integer, timestamptz,'
                           ' timestamptz, text, double precision, double precision,'
                           ' double precision, double precision, double precision,'
                           ' double precision, double precision) TO %I', job);
        END IF;
    END LOOP;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_grafana') THEN
        GRANT SELECT ON collection_plan, collection_stop TO kerbside_grafana;
    END IF;
END
$$;
