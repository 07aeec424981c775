-- A message whose topic no configured subscription matches belongs to no council and has no
-- format: ingest dead-letters it as 'no_subscription' rather than guess both from another
-- subscription.
ALTER TABLE dead_letter ALTER COLUMN format DROP NOT NULL;

COMMENT ON COLUMN dead_letter.council_id IS
    'NULL for a message whose topic no subscription matched (reason no_subscription)';
COMMENT ON COLUMN dead_letter.format IS
    'The subscription''s payload format; NULL for a message whose topic no subscription matched';
