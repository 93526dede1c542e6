// Writes the provider's OpenAPI document to metrics-provider/api/openapi.json (kept in the repository for client
// generators; a test fails when it differs from what the code builds).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPENAPI_DOCUMENT } from '../metrics-provider/api/openapi.js';

const target = fileURLToPath(new URL('../metrics-provider/api/openapi.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(OPENAPI_DOCUMENT, null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
