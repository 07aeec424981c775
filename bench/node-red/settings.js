// Node-RED settings of the ingest benchmark's reference (c). Copied next to the installed
// node_modules by the benchmark, so that require('pg') resolves there. Everything that changes
// from run to run comes from the environment:
//   KB_HTTP_PORT                  port of the progress endpoint (127.0.0.1 only; no editor)
//   KB_MQTT_HOST, KB_MQTT_PORT    broker; KB_MQTT_CLIENT_ID its client id; KB_TOPIC the filter
//   PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD   the run's database (read by pg itself)
//   KB_PG_POOL_SIZE               connections of the pool (default 10, pg's default)
const { Pool } = require('pg');

module.exports = {
  uiHost: '127.0.0.1',
  uiPort: Number(process.env.KB_HTTP_PORT),
  httpAdminRoot: false,
  httpNodeRoot: '/',
  flowFile: 'flows.json',
  flowFilePretty: true,
  credentialSecret: false,
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
  functionGlobalContext: {
    pool: new Pool({ max: Number(process.env.KB_PG_POOL_SIZE || 10) }),
  },
  editorTheme: { projects: { enabled: false } },
};
