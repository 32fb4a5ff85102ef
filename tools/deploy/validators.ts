/**
 * The validators the deployment tests (and anyone, from a script) run with no
 * Docker engine and no cluster:
 * - compose: dclint (the Compose specification JSON schema it ships, plus its
 *   rules), after YAML anchors and merge keys are resolved;
 * - Kubernetes: the API schemas of a named Kubernetes release
 *   (validate-k8s.mjs, kubernetes-models);
 * - Dockerfile: dockerfile-utils (the linter of the VS Code Docker extension)
 *   plus this platform's image rules (policyProblems).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { K8sObject } from './kustomize';
import { REPO_ROOT } from './platform';

// The three linters, typed by the little used here (their own declarations
// resolve differently across module settings; these do not).
type LintMessage = { type: string; rule: string; line: number; message: string };
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS builds, loaded synchronously */
const { DCLinter } = require('dclint') as {
  DCLinter: new (config: object) => {
    lintFiles(paths: string[], recursive: boolean): { messages: LintMessage[] }[];
  };
};
const { validate: validateDockerfile } = require('dockerfile-utils') as {
  validate(text: string): { message: string; range: { start: { line: number } } }[];
};
interface AstInstruction {
  getKeyword(): string;
  getRawArgumentsContent(): string | null;
  getRange(): { start: { line: number } };
  getFlags?(): { toString(): string }[];
}
const { DockerfileParser } = require('dockerfile-ast') as {
  DockerfileParser: { parse(text: string): { getInstructions(): AstInstruction[] } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

// ---------------------------------------------------------------- compose

/** dclint rules that carry meaning here; style rules (key order, sorting) are off. */
export const COMPOSE_RULES = {
  'no-duplicate-container-names': 2,
  'no-duplicate-exported-ports': 2,
  'no-unbound-port-interfaces': 2,
  'no-quotes-in-volumes': 2,
  'require-quotes-in-ports': 2,
  'service-image-require-explicit-tag': 2,
  'no-version-field': 2,
  'require-project-name-field': 2,
  // Built images carry a tag so a second instance can reuse them (pull_policy: never).
  'no-build-and-image': 0,
  'service-keys-order': 0,
  'services-alphabetical-order': 0,
  'service-dependencies-alphabetical-order': 0,
  'service-ports-alphabetical-order': 0,
  'top-level-properties-order': 0,
  'service-container-name-regex': 0,
} as const;

/** dclint's findings (schema violations are rule `invalid-schema`) that are errors. */
export function lintComposeFile(file: string): string[] {
  const linter = new DCLinter({ rules: COMPOSE_RULES, quiet: true, debug: false, exclude: [] });
  return linter
    .lintFiles([file], false)
    .flatMap((result) => result.messages)
    .filter((message) => message.type === 'error')
    .map((message) => `${message.rule} (line ${message.line}): ${message.message}`);
}

export type ComposeService = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { published?: string | number; target: number })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[] | string };
  deploy?: { replicas?: number };
  command?: string[] | string;
  entrypoint?: string[] | string;
  volumes?: (string | { source?: string; target: string })[];
  profiles?: string[];
};
export type ComposeFile = { services: Record<string, ComposeService>; [key: string]: unknown };

export function readCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}` interpolation; `$$` is a literal `$`. */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
    (match, name, op, fallback) => {
      if (match === '$$') return '$';
      const set = env[name as string];
      if (op === ':-') return set ? set : (fallback as string);
      if (op === '-') return set !== undefined ? set : (fallback as string);
      return set ?? '';
    },
  );
}

/** A compose service's environment as the container sees it (with the file's defaults for unset variables). */
export function composeEnvironment(
  service: ComposeService,
  env: Record<string, string | undefined> = {},
): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)] as const);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, env)]));
}

// ------------------------------------------------------------- Kubernetes

export const VALIDATE_K8S = join(REPO_ROOT, 'tools', 'deploy', 'validate-k8s.mjs');

/** Schema errors of the objects against Kubernetes' API (validate-k8s.mjs, in plain Node: the models are ES modules). */
export function validateK8sObjects(objects: readonly K8sObject[]): { kubernetes: string; errors: string[] } {
  try {
    return JSON.parse(
      execFileSync(process.execPath, [VALIDATE_K8S], {
        input: JSON.stringify(objects),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    if (stdout?.startsWith('{')) return JSON.parse(stdout);
    throw new Error(`validate-k8s.mjs failed: ${stderr ?? String(err)}`);
  }
}

// ------------------------------------------------------------- Dockerfile

/** dockerfile-utils' diagnostics (syntax, arguments, flags, duplicates), errors and warnings alike. */
export function lintDockerfileSyntax(text: string): string[] {
  return validateDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

function instructions(text: string): Instruction[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => ({
      keyword: i.getKeyword().toUpperCase(),
      // flags (--from=build) first; line continuations joined
      args: [
        ...(i.getFlags?.().map(String) ?? []),
        (i.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' '),
      ].join(' '),
      line: i.getRange().start.line + 1,
    }));
}

/**
 * The platform's image rules: multi-stage; every base image pinned to a tag
 * other than latest; the runtime stage takes ARG SERVICE, runs as a non-root
 * USER, has a HEALTHCHECK that uses node (no curl/wget in the image), starts
 * with exec-form node, and its node_modules come from a stage that pruned dev
 * dependencies.
 */
export function policyProblems(text: string): string[] {
  const all = instructions(text);
  const problems: string[] = [];
  const args = new Map<string, string>();
  for (const i of all) {
    if (i.keyword === 'ARG' && i.args.includes('=')) args.set(i.args.split('=')[0]!, i.args.split('=')[1]!);
  }
  const froms = all.filter((i) => i.keyword === 'FROM');
  if (froms.length < 2) problems.push('not a multi-stage build');
  const stageNames = froms.map((f) => f.args.split(/\s+as\s+/i)[1]).filter(Boolean);
  for (const from of froms) {
    const image = from.args
      .split(/\s+/)[0]!
      .replace(/^\$\{?(\w+)\}?$/, (_, name: string) => args.get(name) ?? '');
    if (stageNames.includes(image)) continue;
    const tag = image.includes(':') ? image.split(':').pop()! : '';
    if (!tag || tag === 'latest')
      problems.push(`line ${from.line}: base image '${image || from.args}' is not pinned to a tag`);
  }
  const lastFrom = all.lastIndexOf(froms[froms.length - 1]!);
  const runtime = all.slice(lastFrom + 1);
  const find = (keyword: string) => runtime.filter((i) => i.keyword === keyword);
  if (!find('ARG').some((i) => /^SERVICE\b/.test(i.args))) problems.push('runtime stage: no ARG SERVICE');
  const user = find('USER').pop();
  if (!user) problems.push('runtime stage: no USER (would run as root)');
  else if (/^(root|0)(:|$)/.test(user.args)) problems.push(`line ${user.line}: runtime stage runs as root`);
  const health = find('HEALTHCHECK').pop();
  if (!health) problems.push('runtime stage: no HEALTHCHECK');
  else if (!/\bCMD\b.*\bnode\b/.test(health.args) || /\b(curl|wget)\b/.test(health.args))
    problems.push(`line ${health.line}: HEALTHCHECK must run node (the image has no curl or wget)`);
  const start = [...find('ENTRYPOINT'), ...find('CMD')][0];
  if (!start || !start.args.trim().startsWith('[') || !/"node"/.test(start.args))
    problems.push('runtime stage: must start node in exec form (signals reach the process)');
  const copiesModules = find('COPY').some((i) => /--from=\S+.*node_modules/.test(i.args));
  if (!copiesModules) problems.push('runtime stage: node_modules are not copied from the build stage');
  if (!all.some((i) => i.keyword === 'RUN' && /npm (prune|ci|install)\b[^&]*--omit=dev/.test(i.args)))
    problems.push('no stage removes dev dependencies (npm prune --omit=dev / npm ci --omit=dev)');
  return problems;
}
