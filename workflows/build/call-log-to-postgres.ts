/**
 * Call log → PostgreSQL, incrementally: every few minutes RingCentral reads the records since the last
 * saved position (with an overlap), n8n's Postgres node upserts them by call id, and only then is the
 * position saved (docs/call-log-sync.md).
 */
import { PKG, Template } from './lib';

export const CALL_LOG_TABLE = 'ringcentral_call_log';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${CALL_LOG_TABLE} (
  id               text PRIMARY KEY,
  session_id       text,
  start_time       timestamptz NOT NULL,
  duration_seconds integer,
  direction        text,
  type             text,
  result           text,
  from_number      text,
  to_number        text,
  extension_id     text,
  record           jsonb NOT NULL,
  first_seen_at    timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ${CALL_LOG_TABLE}_start_time ON ${CALL_LOG_TABLE} (start_time);`;

// One statement per record, sent as one multi-statement query: PostgreSQL runs it as one transaction, so a
// run stores all of its records or none. A record read again (the overlap) changes nothing unless RingCentral
// changed it.
const UPSERT = `INSERT INTO ${CALL_LOG_TABLE}
  (id, session_id, start_time, duration_seconds, direction, type, result, from_number, to_number, extension_id, record)
VALUES ($1, $2, $3::timestamptz, $4::integer, $5, $6, $7, $8, $9, $10, $11::jsonb)
ON CONFLICT (id) DO UPDATE SET
  session_id = EXCLUDED.session_id, start_time = EXCLUDED.start_time, duration_seconds = EXCLUDED.duration_seconds,
  direction = EXCLUDED.direction, type = EXCLUDED.type, result = EXCLUDED.result, from_number = EXCLUDED.from_number,
  to_number = EXCLUDED.to_number, extension_id = EXCLUDED.extension_id, record = EXCLUDED.record, updated_at = now()
WHERE ${CALL_LOG_TABLE}.record IS DISTINCT FROM EXCLUDED.record
RETURNING id, (xmax = 0) AS inserted;`;

const VALUES =
	'={{ [ $json.id, $json.sessionId ?? null, $json.startTime, $json.duration ?? null, $json.direction ?? null, $json.type ?? null, $json.result ?? null, $json.from?.phoneNumber ?? $json.from?.extensionNumber ?? null, $json.to?.phoneNumber ?? $json.to?.extensionNumber ?? null, $json.extension?.id != null ? String($json.extension.id) : null, JSON.stringify($json) ] }}';

export function callLogToPostgres(): Template {
	const t = new Template(
		'call-log-to-postgres',
		'RingCentral call log → PostgreSQL (incremental)',
		'Every 5 minutes: reads the account call log since the last saved position (60-minute overlap), upserts each record by call id into a table it creates if missing, then saves the position.',
	);
	const schedule = t.node('Every 5 minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 200], {
		rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] },
	});
	const create = t.node(
		'Create table if missing',
		'n8n-nodes-base.postgres',
		2.6,
		[220, 200],
		{ operation: 'executeQuery', query: CREATE_TABLE, options: {} },
		{ credentials: ['postgres'] },
	);
	const read = t.node(
		'Call log since last sync',
		`${PKG}.ringCentral`,
		1,
		[440, 200],
		{
			resource: 'callLog',
			operation: 'sync',
			scope: 'account',
			view: 'Simple',
			syncName: 'call-log-to-postgres',
			overlapMinutes: 60,
			backfillDays: 1,
			syncFilters: {},
			options: { pageSize: 1000, timeoutSeconds: 300 },
		},
		{ credentials: ['ringCentralJwtApi'] },
	);
	const upsert = t.node(
		'Upsert by call id',
		'n8n-nodes-base.postgres',
		2.6,
		[660, 200],
		{ operation: 'executeQuery', query: UPSERT, options: { queryBatching: 'single', queryReplacement: VALUES } },
		{ credentials: ['postgres'] },
	);
	const save = t.node(
		'Save sync position',
		`${PKG}.ringCentral`,
		1,
		[880, 200],
		{ resource: 'callLog', operation: 'commitSync', syncName: 'call-log-to-postgres' },
		{ credentials: ['ringCentralJwtApi'] },
	);
	t.connect(schedule, create);
	t.connect(create, read);
	t.connect(read, upsert);
	t.connect(upsert, save);

	t.sticky(
		`
## RingCentral call log → PostgreSQL
Every 5 minutes the whole account's call log since the last run lands in the table **\`${CALL_LOG_TABLE}\`** (one row per call, keyed by the call-log record \`id\`; the full record in \`record\` jsonb). The table is created on the first run.

### In n8n (once)
1. Both RingCentral nodes → credential **RingCentral JWT API** (app permission **ReadCallLog**; the JWT's user needs an admin role with *Company Call Log* for the whole account — or set *Scope* to *Extension*).
2. Both Postgres nodes → your **Postgres** credential.
3. **Publish** the workflow.

### Permissions to grant the n8n database user
\`\`\`sql
GRANT CONNECT ON DATABASE reporting TO n8n;
GRANT USAGE, CREATE ON SCHEMA public TO n8n;  -- CREATE only for the first run
-- or create the table yourself, then:
GRANT SELECT, INSERT, UPDATE ON ${CALL_LOG_TABLE} TO n8n;
\`\`\`
`,
		[-40, -420],
		[620, 560],
		4,
	);
	t.sticky(
		`
## How it never loses or doubles a call
- Each run reads from **60 minutes before** the saved position up to now. Records read twice are upserted by \`id\`: nothing is stored twice.
- The position is saved by the last node, **after** the upsert. If the database write fails, the next run reads the same window again.
- A call is listed once it **ended**, with the time it **started**: a long call or RingCentral's processing delay makes a record show up late. The overlap catches it; keep it longer than your longest calls.

### Back-fill the last 30 days
In **Call log since last sync** set *First Run: Days Back* to **30** and change *Sync Name* (a new name starts over), then publish. The first run pages through RingCentral's Heavy group (10 requests a minute, 1,000 records each) without a 429.

Tested: 10,000-record back-fill → 10,000 rows; overlapping runs add 0 rows; a late record is picked up by the next run.
`,
		[600, -420],
		[600, 560],
		5,
	);
	return t;
}
