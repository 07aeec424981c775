-- Notices are routed by the delivery worker, not by whoever took the step: a step (by the API,
-- the command line, analytics or a works system) only records its alert_event, and a delivery
-- worker later expands it into one delivery per channel its routes name and sets routed_at, in
-- one transaction that locks the event with FOR UPDATE SKIP LOCKED. So a step taken in a process
-- without the routes file is delivered all the same, and exactly once however many workers run.
ALTER TABLE alert_event ADD COLUMN routed_at timestamptz;

COMMENT ON COLUMN alert_event.routed_at IS
    'when a delivery worker queued this event''s deliveries (none when no route matched);'
    ' NULL while it waits to be routed';

-- Events recorded before this migration count as routed: those analytics took were queued when
-- they were recorded, and the steps taken elsewhere (never delivered until now) are history that
-- crews must not receive in a flood after the upgrade.
UPDATE alert_event SET routed_at = at WHERE routed_at IS NULL;

-- The worker's queue of events to route: small, since events leave it within a poll interval.
CREATE INDEX alert_event_unrouted_idx ON alert_event (alert_event_id) WHERE routed_at IS NULL;
