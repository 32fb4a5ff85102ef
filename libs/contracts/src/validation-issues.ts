import type { z } from 'zod';

/** One problem found by a schema, with a dotted path (`items.0.quantity`; empty for the root). */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export function validationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => String(part)).join('.'),
    message: issue.message,
  }));
}

export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}
