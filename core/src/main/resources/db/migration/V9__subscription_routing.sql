-- A message whose topic no configured subscription matches belongs to no council and has no
-- format: ingest dead-letters it as 'no_subscription' rather than guess both from another
-- subscription.
ALTER TABLE dead_letter ALTER COLUMN format DROP NOT NULL;

COMMENT ON COLUMN dead_letter.council_id IS
    'NULL for a message whose topic no subscription matched (reason no_subscription)';
COMMENT ON COLUMN dead_letter.format IS
    'The subscription''s payload format; NULL for a message whose topic no subscription matched';

-- The topic filters each MQTT client id has subscribed to. The broker keeps a persistent session's
-- subscriptions across restarts, and MQTT 3.1.1 cannot list them, so ingest remembers what it
-- subscribed to and, at start-up, unsubscribes the filters no longer configured.
CREATE TABLE mqtt_subscription (
    client_id       text        NOT NULL,
    topic_filter    text        NOT NULL,
    subscribed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, topic_filter)
);

COMMENT ON COLUMN mqtt_subscription.topic_filter IS
    'As subscribed at the broker: with the $share/<group>/ prefix when KERBSIDE_INGEST_SHARE_GROUP is set';

-- Ingest reads its own rows, adds what it subscribes to and removes what it unsubscribed; it never
-- rewrites a row.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_ingest') THEN
        GRANT SELECT, INSERT, DELETE ON mqtt_subscription TO kerbside_ingest;
    END IF;
END
$$;
