/**
 * The Kafka consumer groups of every service, read from the services' own
 * source with the TypeScript checker, so the topic init steps (compose,
 * Kubernetes) create one dead-letter topic per group without a hand-kept list.
 *
 * Where a group id is written:
 * - `groupId: X` in an object literal (MessagingModule's `consumers`), and
 * - `group: X` in the options of `@HandleMessage(type, { group: X })`.
 * X resolves to its string literal type (`'order-saga'`, a const, a member of
 * an `as const` object) or, for `config.SOME_GROUP`, to the default of that
 * variable in the service's env schema. Anything else is an error naming the
 * file and line, so a new way of naming groups cannot silently drop a DLQ.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { z } from 'zod';

export interface ConsumerGroup {
  readonly service: string;
  readonly groupId: string;
  /** Where it was found, `services/order/src/order.module.ts:101`. */
  readonly at: string;
}

export interface ConsumerGroupScan {
  readonly groups: ConsumerGroup[];
  /** Group expressions that resolve to no fixed name. */
  readonly unresolved: string[];
}

/** Source files of a service that run in production (no tests, test support or generated code). */
export function productionSources(serviceSrc: string): string[] {
  return readdirSync(serviceSrc).flatMap((entry) => {
    const path = join(serviceSrc, entry);
    if (statSync(path).isDirectory())
      return ['generated', 'test-support', '__fixtures__'].includes(entry) ? [] : productionSources(path);
    return /\.ts$/.test(entry) && !/\.(int-)?spec\.ts$/.test(entry) ? [path] : [];
  });
}

/**
 * Scans `services/<name>/src` of each given service. `envSchemas` gives each
 * service's env schema, used to resolve `config.X` to X's default.
 */
export function scanConsumerGroups(
  root: string,
  envSchemas: Record<string, z.ZodObject>,
  services: readonly string[] = Object.keys(envSchemas),
): ConsumerGroupScan {
  const filesByService = new Map(
    services.map((service) => [service, productionSources(join(root, 'services', service, 'src'))]),
  );
  const program = ts.createProgram([...filesByService.values()].flat(), {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    experimentalDecorators: true,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const groups: ConsumerGroup[] = [];
  const unresolved: string[] = [];

  for (const [service, files] of filesByService) {
    for (const file of files) {
      const source = program.getSourceFile(file);
      if (!source) continue;
      const visit = (node: ts.Node): void => {
        const expression = groupExpression(node);
        if (expression) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          const at = `${relative(root, file)}:${line}`;
          const names = resolveGroup(expression, checker, envSchemas[service]);
          if (names.length) names.forEach((groupId) => groups.push({ service, groupId, at }));
          else unresolved.push(`${at}: cannot resolve consumer group '${expression.getText()}'`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { groups: dedupe(groups), unresolved };
}

/** The group expression of `groupId: X` / `groupId` shorthand, or `group: X` inside a HandleMessage call. */
function groupExpression(node: ts.Node): ts.Expression | undefined {
  if (!ts.isPropertyAssignment(node) && !ts.isShorthandPropertyAssignment(node)) return undefined;
  const name = node.name.getText();
  const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
  if (name === 'groupId') return value;
  if (name === 'group' && insideHandleMessage(node)) return value;
  return undefined;
}

function insideHandleMessage(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isCallExpression(current)) return current.expression.getText() === 'HandleMessage';
  }
  return false;
}

function resolveGroup(expression: ts.Expression, checker: ts.TypeChecker, env?: z.ZodObject): string[] {
  const type = ts.isShorthandPropertyAssignment(expression.parent)
    ? checker.getTypeOfSymbol(checker.getShorthandAssignmentValueSymbol(expression.parent)!)
    : checker.getTypeAtLocation(expression);
  const literals = (type.isUnion() ? type.types : [type]).filter((t) => t.isStringLiteral());
  if (literals.length && literals.length === (type.isUnion() ? type.types.length : 1))
    return literals.map((t) => (t as ts.StringLiteralType).value);
  // config.SOME_GROUP: the default of that variable of the env schema.
  if (ts.isPropertyAccessExpression(expression) && env) {
    const field = env.shape[expression.name.text] as z.ZodType | undefined;
    const parsed = field?.safeParse(undefined);
    if (parsed?.success && typeof parsed.data === 'string') return [parsed.data];
  }
  return [];
}

function dedupe(groups: ConsumerGroup[]): ConsumerGroup[] {
  const seen = new Map<string, ConsumerGroup>();
  for (const group of groups) if (!seen.has(group.groupId)) seen.set(group.groupId, group);
  return [...seen.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
}
