-- After every migrate: the installation's privileges belong to its own group roles
-- (KERBSIDE_DB_ROLE_PREFIX; see V13__installation_roles.sql).
SELECT ${flyway:defaultSchema}.apply_role_prefix('${role_prefix}');
