-- Maintenance alerts: what analytics raised, every step of each alert's life, the deliveries to
-- maintenance teams, and analytics' progress through the stored readings.

-- When a reading was committed (transaction time), so that analytics finds new readings by
-- commit rather than by measurement or receive time, late or retried batches included.
-- BRIN: the column grows with insertion order, and the index costs the writer almost nothing.
ALTER TABLE reading ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX reading_stored_at_idx ON reading USING brin (stored_at);

-- API keys carry a role: viewer (read), operator (act on alerts), admin (everything).
ALTER TABLE api_key ADD COLUMN role text NOT NULL DEFAULT 'viewer'
    CHECK (role IN ('viewer', 'operator', 'admin'));

CREATE TABLE alert (
    alert_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id      integer          NOT NULL REFERENCES council,
    -- 'asset/<asset_pk>' for asset rules, 'device/<device_pk>' for device-health rules
    subject         text             NOT NULL CHECK (subject ~ '^(asset|device)/[0-9]+$'),
    rule            text             NOT NULL CHECK (rule ~ '^[a-z][a-z0-9-]{0,62}$'),
    kind            text             NOT NULL CHECK (kind IN ('bin', 'streetlight', 'pavement')),
    severity        text             NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
    status          text             NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    asset_pk        bigint,
    device_pk       bigint           REFERENCES device,
    ward            text,
    summary         text             NOT NULL,
    value           double precision,
    peak_value      double precision,
    details         jsonb            NOT NULL DEFAULT '{}',
    predicted_at    timestamptz,
    -- observation times (from the readings) ...
    observed_at     timestamptz      NOT NULL,
    last_observed_at timestamptz     NOT NULL,
    -- ... and wall-clock times of the lifecycle
    opened_at       timestamptz      NOT NULL DEFAULT now(),
    updated_at      timestamptz      NOT NULL DEFAULT now(),
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_by     text,
    assignee        text,
    reopen_count    integer          NOT NULL DEFAULT 0,
    last_notified_at timestamptz,
    FOREIGN KEY (council_id, asset_pk) REFERENCES asset (council_id, asset_pk),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- At most one active alert per subject and rule, whoever evaluates.
CREATE UNIQUE INDEX alert_one_active_idx ON alert (council_id, subject, rule) WHERE status <> 'resolved';
CREATE INDEX alert_council_status_idx ON alert (council_id, status, opened_at DESC);
CREATE INDEX alert_subject_rule_idx ON alert (council_id, subject, rule, resolved_at DESC);

-- The history of an alert: one row per step, with who did it.
CREATE TABLE alert_event (
    alert_event_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        bigint      NOT NULL REFERENCES alert ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    type            text        NOT NULL CHECK (type IN ('opened', 'reopened', 'escalated', 'acknowledged',
                                                         'assigned', 'note', 'resolved')),
    actor           text        NOT NULL,
    note            text,
    details         jsonb
);
CREATE INDEX alert_event_alert_idx ON alert_event (alert_id, alert_event_id);

-- One delivery of one alert event to one channel; the unique key makes a second evaluator's
-- attempt to queue the same delivery a no-op.
CREATE TABLE delivery (
    delivery_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_event_id  bigint      NOT NULL REFERENCES alert_event ON DELETE CASCADE,
    alert_id        bigint      NOT NULL REFERENCES alert ON DELETE CASCADE,
    channel         text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'delivered', 'gave_up')),
    attempts        integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text,
    external_id     text,
    UNIQUE (alert_event_id, channel)
);
CREATE INDEX delivery_pending_idx ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_alert_idx ON delivery (alert_id);

-- Every attempt, for the delivery log.
CREATE TABLE delivery_attempt (
    delivery_id     bigint      NOT NULL REFERENCES delivery ON DELETE CASCADE,
    attempt         integer     NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    outcome         text        NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gave_up')),
    status_code     integer,
    error           text,
    duration_ms     double precision,
    PRIMARY KEY (delivery_id, attempt)
);

-- Analytics' progress: up to which commit time it has looked for new readings ...
CREATE TABLE analytics_cursor (
    name            text        PRIMARY KEY,
    stored_until    timestamptz NOT NULL
);
-- ... and up to which reading time each device's readings have been evaluated, and when the
-- newest of them was committed (when Kerbside last heard from the device, even for a backlog).
CREATE TABLE analytics_progress (
    device_pk       bigint      PRIMARY KEY REFERENCES device ON DELETE CASCADE,
    evaluated_until timestamptz NOT NULL,
    heard_at        timestamptz
);

-- The analytics role reads readings and the registry and owns the alert tables.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_analytics') THEN
        BEGIN
            CREATE ROLE kerbside_analytics NOLOGIN;
        EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
            RAISE NOTICE 'role kerbside_analytics not created: %', SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_analytics') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO kerbside_analytics', current_schema());
        EXECUTE format('GRANT SELECT ON %I.flyway_schema_history TO kerbside_analytics', current_schema());
        GRANT SELECT ON council, device, asset, device_attachment, reading TO kerbside_analytics;
        GRANT SELECT (api_key_id, council_id, key_sha256, role, label, revoked_at) ON api_key TO kerbside_analytics;
        GRANT EXECUTE ON FUNCTION sequence_gaps(timestamptz, timestamptz) TO kerbside_analytics;
        GRANT SELECT, INSERT, UPDATE ON alert, alert_event, delivery, delivery_attempt,
            analytics_cursor, analytics_progress TO kerbside_analytics;
        GRANT DELETE ON analytics_progress TO kerbside_analytics;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        GRANT SELECT ON alert, alert_event, delivery, delivery_attempt TO kerbside_reader;
    END IF;
END
$$;
