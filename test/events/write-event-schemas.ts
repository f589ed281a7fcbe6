// Writes packages/events/schema/*.json from event-schemas.ts: `npx tsx test/events/write-event-schemas.ts`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { shippedJsonSchemas } from '../../packages/events/src/event-schemas.js';

const dir = path.resolve(import.meta.dirname, '../../packages/events/schema');
for (const [file, schema] of Object.entries(shippedJsonSchemas()))
  writeFileSync(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
