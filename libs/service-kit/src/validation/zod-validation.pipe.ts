import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ApiError, validationFailed, validationIssues, type ValidationIssue } from '@shop/contracts';
import { z } from 'zod';

const INVALID_MESSAGE: Record<ArgumentMetadata['type'], string> = {
  body: 'The request body is not valid',
  query: 'The query string is not valid',
  param: 'The path parameters are not valid',
  custom: 'The request is not valid',
};

/**
 * Validates and converts one controller argument with a zod schema; a
 * failure is a 400 VALIDATION_FAILED listing each issue with its path
 * (`items.0.quantity`, or `id` for `@Param('id', ...)`). The handler gets the
 * schema's output (defaults applied, coercions done, unknown keys stripped).
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(readonly schema: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const issues = validationIssues(result.error).map((issue) => underField(issue, metadata.data));
    const { error } = validationFailed(issues, INVALID_MESSAGE[metadata.type]);
    throw new ApiError(error.code, error.message, error.details);
  }
}

/** `@Body(zodBody(PlaceOrderSchema)) body: PlaceOrder` */
export const zodBody = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema);
/** `@Query(zodQuery(z.object({ limit: z.coerce.number().int().max(100).default(20) })))`: query values are strings, coerce them. */
export const zodQuery = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema);
/** `@Param('id', zodParam(uuidParam)) id: string` */
export const zodParam = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema);

/** A path id that must be a UUID (any version), so a malformed id is a 400, not a 404 or a database error. */
export const uuidParam = z.uuid({ error: 'must be a UUID' });

/** Issues of `@Param('id', pipe)` are about `id`, not about the root of the value. */
function underField(issue: ValidationIssue, field: string | undefined): ValidationIssue {
  if (!field) return issue;
  return { ...issue, path: issue.path ? `${field}.${issue.path}` : field };
}
