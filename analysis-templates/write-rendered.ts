// `npm run render` (first half): writes analysis-templates/rendered/ from the definitions. The test
// test/unit/analysis-templates/rendered-in-sync.test.ts fails when the committed files differ from this output.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderedFiles } from './index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), 'rendered');
for (const folder of ['cluster', 'namespaced']) {
  mkdirSync(join(root, folder), { recursive: true });
  for (const file of readdirSync(join(root, folder))) rmSync(join(root, folder, file));
}
const files = renderedFiles();
for (const [path, content] of files) writeFileSync(join(root, path), content);
process.stdout.write(`wrote ${files.size} files under analysis-templates/rendered/\n`);
