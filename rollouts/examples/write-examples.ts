// `npm run render` (second half): rewrites rollouts/examples/<router>/manifests.yaml from each spec.yaml.
import { writeFileSync } from 'node:fs';
import { EXAMPLE_ROUTERS, exampleManifestsPath, renderExample } from './examples.js';

for (const router of EXAMPLE_ROUTERS) writeFileSync(exampleManifestsPath(router), renderExample(router));
process.stdout.write(`wrote ${EXAMPLE_ROUTERS.length} examples under rollouts/examples/\n`);
