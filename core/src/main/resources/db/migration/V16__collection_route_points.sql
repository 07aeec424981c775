-- The day's collection routes as lines, for the Bins dashboard's map: each vehicle's route of the
-- newest stored plan of each round, on the newest plan date in [p_from, p_to] (the day the map's
-- stops show), as the points a vehicle drives through in order - its depot, its stops by
-- route_order, its depot again. Routes are numbered 1, 2, ... by round and vehicle (route_no), so
-- a map layer can draw one route as one line. Unassigned stops have no route and are left out.
CREATE FUNCTION collection_route_points(p_council integer, p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (
        route_no integer,
        round text,
        vehicle text,
        seq integer,
        latitude double precision,
        longitude double precision,
        asset_ref text,
        eta timestamptz,
        status text)
    LANGUAGE sql STABLE
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp
AS $$
WITH day AS (
    SELECT max(p.plan_date) AS plan_date
    FROM collection_plan p
    WHERE p.council_id = p_council
      AND p.plan_date BETWEEN p_from::date AND p_to::date),
plans AS (
    SELECT DISTINCT ON (p.round) p.plan_id, p.round, p.details
    FROM collection_plan p
    JOIN day ON day.plan_date = p.plan_date
    WHERE p.council_id = p_council
    ORDER BY p.round, p.planned_at DESC, p.plan_id DESC),
routes AS (
    SELECT pl.plan_id, pl.round, r ->> 'vehicle' AS vehicle,
           (r ->> 'depot_lat')::double precision AS depot_lat,
           (r ->> 'depot_lon')::double precision AS depot_lon,
           (r ->> 'start')::timestamptz AS start_at,
           (r ->> 'end')::timestamptz AS end_at
    FROM plans pl
    CROSS JOIN LATERAL jsonb_array_elements(coalesce(pl.details -> 'routes', '[]'::jsonb)) r
    WHERE EXISTS (SELECT FROM collection_stop s
                  WHERE s.plan_id = pl.plan_id AND s.vehicle = r ->> 'vehicle')),
numbered AS (
    SELECT rt.*, row_number() OVER (ORDER BY rt.round COLLATE "C", rt.vehicle COLLATE "C")::integer
               AS route_no
    FROM routes rt),
points AS (
    SELECT n.route_no, n.round, n.vehicle, 0 AS seq, n.depot_lat AS latitude,
           n.depot_lon AS longitude, NULL::text AS asset_ref, n.start_at AS eta,
           'depot'::text AS status
    FROM numbered n
    UNION ALL
    SELECT n.route_no, n.round, n.vehicle, s.route_order, a.latitude, a.longitude, a.asset_ref,
           s.eta, s.status
    FROM numbered n
    JOIN collection_stop s ON s.plan_id = n.plan_id AND s.vehicle = n.vehicle
    JOIN asset a ON a.council_id = s.council_id AND a.asset_pk = s.asset_pk
    UNION ALL
    SELECT n.route_no, n.round, n.vehicle,
           (SELECT coalesce(max(s.route_order), 0) + 1 FROM collection_stop s
            WHERE s.plan_id = n.plan_id AND s.vehicle = n.vehicle),
           n.depot_lat, n.depot_lon, NULL, n.end_at, 'depot'
    FROM numbered n)
SELECT * FROM points
ORDER BY route_no, seq
$$;

REVOKE EXECUTE ON FUNCTION collection_route_points(integer, timestamptz, timestamptz) FROM PUBLIC;

DO $$
DECLARE
    job text;
BEGIN
    FOREACH job IN ARRAY ARRAY['kerbside_grafana', 'kerbside_reader', 'kerbside_analytics'] LOOP
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = job) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION collection_route_points(integer,'
                           ' timestamptz, timestamptz) TO %I', job);
        END IF;
    END LOOP;
END
$$;
