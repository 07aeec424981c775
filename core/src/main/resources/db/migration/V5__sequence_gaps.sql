-- Lost messages and counter resets per device, from the sequence numbers stored with readings
-- (native `seq`, LoRaWAN frame counters). Readings are taken in time order, so late deliveries
-- fall into place: a step up by more than one means (step - 1) messages never arrived; any step
-- down means the counter restarted (a device reboot, a LoRaWAN rejoin), and nothing is counted
-- as lost across it. Duplicates cannot distort it: a reading is stored once.
CREATE FUNCTION sequence_gaps(p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (device_pk bigint, readings bigint, lost bigint, resets bigint)
    LANGUAGE sql STABLE AS $$
    SELECT s.device_pk,
           count(*),
           coalesce(sum(s.seq - s.prev - 1) FILTER (WHERE s.seq > s.prev + 1), 0)::bigint,
           count(*) FILTER (WHERE s.seq < s.prev)
    FROM (SELECT r.device_pk, r.seq, lag(r.seq) OVER (PARTITION BY r.device_pk ORDER BY r.ts) AS prev
          FROM reading r
          WHERE r.seq IS NOT NULL AND r.ts >= p_from AND r.ts < p_to) s
    GROUP BY s.device_pk
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        GRANT EXECUTE ON FUNCTION sequence_gaps(timestamptz, timestamptz) TO kerbside_reader;
    END IF;
END
$$;
