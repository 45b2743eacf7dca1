// Writes every service's OpenAPI document to build/openapi/<service>.json, straight from its
// controllers and DTOs: each app is assembled in Nest's preview mode, so nothing connects to
// Postgres, Redis or RabbitMQ. `npm run build` first. The gates (npm run lint:api) and the
// typed client read these files; nothing in them is edited by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentOf, SERVICES } from './documents.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const out = join(ROOT, 'build/openapi');
mkdirSync(out, { recursive: true });
for (const service of SERVICES) {
  const document = await documentOf(service);
  writeFileSync(join(out, `${service}.json`), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`  ${service}: ${Object.keys(document.paths).length} paths → build/openapi/${service}.json`);
}
process.exit(0);
