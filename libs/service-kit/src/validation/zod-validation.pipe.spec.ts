import { ApiError } from '@shop/contracts';
import { z } from 'zod';
import { uuidParam, zodBody, zodParam, zodQuery } from './zod-validation.pipe';

function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a validation failure');
}

describe('ZodValidationPipe', () => {
  const Order = z.object({
    sku: z.string().min(1),
    lines: z.array(z.object({ quantity: z.number().int().positive() })),
  });

  it("returns the schema's output: unknown keys stripped, coercions and defaults applied", () => {
    expect(
      zodBody(Order).transform({ sku: 'A', lines: [{ quantity: 1 }], extra: 1 }, { type: 'body' }),
    ).toEqual({
      sku: 'A',
      lines: [{ quantity: 1 }],
    });
    const Page = z.object({ limit: z.coerce.number().default(20) });
    expect(zodQuery(Page).transform({ limit: '5' }, { type: 'query' })).toEqual({ limit: 5 });
    expect(zodQuery(Page).transform({}, { type: 'query' })).toEqual({ limit: 20 });
  });

  it('throws 400 VALIDATION_FAILED with every issue and its path', () => {
    const error = failure(() =>
      zodBody(Order).transform({ sku: '', lines: [{ quantity: 0 }] }, { type: 'body' }),
    );
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request body is not valid',
        details: {
          issues: [
            { path: 'sku', message: expect.any(String) },
            { path: 'lines.0.quantity', message: expect.any(String) },
          ],
        },
      },
    });
  });

  it('puts issues of a named argument under its name', () => {
    const error = failure(() => zodParam(uuidParam).transform('42', { type: 'param', data: 'id' }));
    expect(error.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The path parameters are not valid',
      details: { issues: [{ path: 'id', message: 'must be a UUID' }] },
    });
    const nested = failure(() =>
      zodBody(z.array(z.string())).transform(['ok', 3], { type: 'body', data: 'tags' }),
    );
    expect(nested.body.error.details).toEqual({ issues: [{ path: 'tags.1', message: expect.any(String) }] });
  });

  it('accepts UUIDs of any version as uuidParam, and nothing else', () => {
    for (const id of ['0196a4d2-7b7e-7c3a-9b1e-2f4a5c6d7e8f', '3f1c2b9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b']) {
      expect(uuidParam.safeParse(id).success).toBe(true);
    }
    for (const id of ['42', '0196a4d2-7b7e-7c3a-9b1e', "0196a4d2-7b7e-7c3a-9b1e-2f4a5c6d7e8f' OR 1=1"]) {
      expect(uuidParam.safeParse(id).success).toBe(false);
    }
  });
});
