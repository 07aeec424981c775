-- When an alert's condition cleared, by the readings, next to when Kerbside resolved it
-- (resolved_at is the clock of whoever resolved it: after a replay or a backlog, hours later).
-- The condition began at observed_at, the first reading that showed it.
ALTER TABLE alert ADD COLUMN condition_cleared_at timestamptz;

COMMENT ON COLUMN alert.observed_at IS
    'when the condition began: the time of the first reading that showed it';
COMMENT ON COLUMN alert.condition_cleared_at IS
    'when the condition cleared: the time of the reading that showed it gone; NULL while active,'
    ' and when a person resolved the alert without the readings clearing it';
COMMENT ON COLUMN alert.resolved_at IS
    'when the alert was resolved, by the clock of whoever resolved it';

-- Alerts Kerbside resolved before this column existed: the clear time was kept in their history.
UPDATE alert a
   SET condition_cleared_at = (
        SELECT (e.details ->> 'cleared_at')::timestamptz FROM alert_event e
         WHERE e.alert_id = a.alert_id AND e.type = 'resolved' AND e.details ? 'cleared_at'
         ORDER BY e.alert_event_id DESC LIMIT 1)
 WHERE a.status = 'resolved' AND a.resolved_by = 'kerbside';
