-- Collection plans: for a council, a date and a round, which bins to empty, by which vehicle, in
-- which order and when; and, as crews work, who emptied what when (see docs/planning.md).

CREATE TABLE collection_plan (
    plan_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id      integer     NOT NULL REFERENCES council,
    plan_date       date        NOT NULL,
    round           text        NOT NULL CHECK (round ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    planned_at      timestamptz NOT NULL DEFAULT now(),
    planned_by      text        NOT NULL,
    -- the settings and figures the plan was made with: threshold, speed, bins considered, km
    details         jsonb       NOT NULL DEFAULT '{}',
    UNIQUE (council_id, plan_id)
);
CREATE INDEX collection_plan_council_date_idx
    ON collection_plan (council_id, plan_date, round, planned_at DESC);

-- One bin of a plan. A selected bin that no vehicle could take (capacity, shift) is kept with
-- status 'unassigned' and no vehicle, so the plan says what it left behind.
CREATE TABLE collection_stop (
    plan_id             bigint           NOT NULL REFERENCES collection_plan ON DELETE CASCADE,
    stop_no             integer          NOT NULL CHECK (stop_no > 0),
    council_id          integer          NOT NULL,
    asset_pk            bigint           NOT NULL,
    vehicle             text,
    route_order         integer          CHECK (route_order > 0),
    eta                 timestamptz,
    litres              double precision NOT NULL CHECK (litres >= 0),
    predicted_fill_pct  double precision,
    reasons             text[]           NOT NULL CHECK (cardinality(reasons) > 0 AND reasons <@
                            ARRAY['predicted-fill', 'overflow-before-next-round', 'alert',
                                  'schedule']::text[]),
    status              text             NOT NULL DEFAULT 'planned'
                                         CHECK (status IN ('planned', 'unassigned', 'emptied')),
    emptied_at          timestamptz,
    emptied_by          text,
    PRIMARY KEY (plan_id, stop_no),
    FOREIGN KEY (council_id, plan_id) REFERENCES collection_plan (council_id, plan_id),
    FOREIGN KEY (council_id, asset_pk) REFERENCES asset (council_id, asset_pk),
    CHECK ((status = 'emptied') = (emptied_at IS NOT NULL AND emptied_by IS NOT NULL)),
    CHECK ((status = 'unassigned') = (vehicle IS NULL)),
    CHECK ((vehicle IS NULL) = (route_order IS NULL))
);
CREATE INDEX collection_stop_asset_idx ON collection_stop (council_id, asset_pk);

-- Planning is served by the analytics role, which already reads readings, the registry and the
-- alerts, and resolves alerts; it now also writes plans. The reader role reads them.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_analytics') THEN
        GRANT SELECT, INSERT ON collection_plan, collection_stop TO kerbside_analytics;
        GRANT UPDATE (status, emptied_at, emptied_by) ON collection_stop TO kerbside_analytics;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        GRANT SELECT ON collection_plan, collection_stop TO kerbside_reader;
    END IF;
END
$$;
