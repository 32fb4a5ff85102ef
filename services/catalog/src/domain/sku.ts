/**
 * SKUs are compared after normalization: surrounding spaces removed, inner
 * runs of spaces or underscores turned into one '-', upper case. So
 * ' kit-mug 001 ' and 'KIT-MUG-001' are the same SKU (and collide: 409).
 */
const SKU = /^[A-Z0-9][A-Z0-9.-]{1,63}$/;

export function normalizeSku(raw: string): string | undefined {
  const sku = raw
    .trim()
    .replace(/[\s_]+/g, '-')
    .toUpperCase();
  return SKU.test(sku) ? sku : undefined;
}

export const SKU_RULE = '2-64 characters: letters, digits, "-" and ".", starting with a letter or digit';
