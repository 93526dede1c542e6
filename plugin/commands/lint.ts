// `vllm-canary lint`: validates manifests against the upstream schemas of their kinds and checks what schemas
// cannot (templates and args, weights, header routes, routes naming the right Services...). Exit code 1 on any error.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import { lint } from '../../rollouts/index.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  $ vllm-canary lint manifests/
  $ vllm-canary generate --spec spec.yaml | vllm-canary lint -
  $ vllm-canary lint rollout.yaml my-templates.yaml --crds ../crds
  $ vllm-canary lint --format json manifests/*.yaml

Templates are looked up in the given files, then in the vllm-canary library (vllm-latency, vllm-canary-health...).
Each finding names file:line:col, the object (Kind/name), the field and the fix. Exit code 1 on any error.`;

interface LintFlags {
  readonly crds?: string;
  readonly format: 'text' | 'json';
  readonly quiet?: boolean;
}

export const registerLint: RegisterCommand = (program: Command) => {
  program
    .command('lint')
    .description(
      'Check Rollouts, AnalysisTemplates and routing manifests against the Argo Rollouts, Gateway API, Istio, ' +
        'prometheus-operator and Kubernetes schemas, and the mistakes schemas miss',
    )
    .argument('<files...>', 'YAML files or folders (searched for *.yaml and *.yml); - reads stdin')
    .option(
      '--crds <dir>',
      'validate CRD kinds against the upstream CRD files in this folder instead of the packaged schemas',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'report errors only, not warnings')
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], flags: LintFlags) => {
      const schemas = flags.crds === undefined ? undefined : lint.crdFolderSchemaSet(flags.crds);
      const options = schemas === undefined ? {} : { schemas };
      const stdin = files.includes('-') ? await readStdin() : undefined;
      const paths = expand(files.filter((f) => f !== '-'));
      const loaded = lint.loadFiles(paths);
      if (stdin !== undefined) {
        const fromStdin = lint.loadText('<stdin>', stdin);
        loaded.objects.push(...fromStdin.objects);
        loaded.problems.push(...fromStdin.problems);
      }
      const result = lint.lintLoaded(loaded, options);
      const shown = result.findings.filter((f) => !flags.quiet || f.severity === 'error');
      if (flags.format === 'json')
        process.stdout.write(`${JSON.stringify({ ...result, findings: shown }, null, 2)}\n`);
      else {
        for (const f of shown) process.stdout.write(`${lint.formatFinding(f)}\n`);
        process.stdout.write(
          `${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'} in ${result.objects} object${result.objects === 1 ? '' : 's'}\n`,
        );
      }
      if (result.errors > 0) throw new CommanderError(1, 'vllm-canary.lint', `${result.errors} errors`);
    });
};

/** Folders become the YAML files inside them (recursively, sorted); missing paths are kept so lint reports them. */
function expand(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      out.push(path);
      continue;
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    for (const entry of readdirSync(path).sort()) {
      const child = join(path, entry);
      if (statSync(child).isDirectory()) out.push(...expand([child]));
      else if (/\.ya?ml$/.test(entry)) out.push(child);
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
