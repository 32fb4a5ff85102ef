import { normalizeCurrency, priceProblem } from './money';
import { normalizeSku, SKU_RULE } from './sku';

export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  status: ProductStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  priceCents: number;
  currency: string;
}

export interface ProductChanges {
  name?: string;
  description?: string;
  priceCents?: number;
}

/** A field that breaks a product rule; the HTTP layer answers 400 with it. */
export class ProductRuleViolation extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'ProductRuleViolation';
  }
}

/** A change refused in the product's current state (409). */
export class ProductStateConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProductStateConflict';
  }
}

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 5_000;

/** What a change did, for the events it emits. */
export type ProductChange =
  | { kind: 'created'; product: Product }
  | { kind: 'price-changed'; product: Product; previousPriceCents: number }
  | { kind: 'details-changed'; product: Product }
  | { kind: 'discontinued'; product: Product };

export function createProduct(input: NewProduct, id: string, now: Date): Product {
  const sku = normalizeSku(input.sku);
  if (!sku) throw new ProductRuleViolation('sku', `must be ${SKU_RULE}`);
  const currency = normalizeCurrency(input.currency);
  if (!currency) throw new ProductRuleViolation('currency', 'must be an ISO 4217 currency code (e.g. EUR)');
  return {
    id,
    sku,
    name: checkedName(input.name),
    description: checkedDescription(input.description ?? ''),
    priceCents: checkedPrice(input.priceCents),
    currency,
    status: 'active',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Applies name/description/price changes. Returns the changes it made, in
 * event order (details first, then price); none when nothing differs.
 * A discontinued product keeps its last price: changing it is a conflict.
 */
export function changeProduct(product: Product, changes: ProductChanges, now: Date): ProductChange[] {
  const name = changes.name === undefined ? product.name : checkedName(changes.name);
  const description =
    changes.description === undefined ? product.description : checkedDescription(changes.description);
  const priceCents = changes.priceCents === undefined ? product.priceCents : checkedPrice(changes.priceCents);
  const detailsChanged = name !== product.name || description !== product.description;
  const priceChanged = priceCents !== product.priceCents;
  if (priceChanged && product.status === 'discontinued') {
    throw new ProductStateConflict(`Product ${product.id} is discontinued: its price cannot change`);
  }
  const result: ProductChange[] = [];
  let current = product;
  if (detailsChanged) {
    current = { ...current, name, description, version: current.version + 1, updatedAt: now };
    result.push({ kind: 'details-changed', product: current });
  }
  if (priceChanged) {
    current = { ...current, priceCents, version: current.version + 1, updatedAt: now };
    result.push({ kind: 'price-changed', product: current, previousPriceCents: product.priceCents });
  }
  return result;
}

/** Discontinuing twice changes nothing (idempotent for admins retrying). */
export function discontinueProduct(product: Product, now: Date): ProductChange[] {
  if (product.status === 'discontinued') return [];
  return [
    {
      kind: 'discontinued',
      product: { ...product, status: 'discontinued', version: product.version + 1, updatedAt: now },
    },
  ];
}

/** The product after a list of changes (the last one's), or the product itself. */
export function latestOf(product: Product, changes: readonly ProductChange[]): Product {
  return changes.at(-1)?.product ?? product;
}

function checkedName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new ProductRuleViolation('name', 'must not be empty');
  if (name.length > MAX_NAME_LENGTH)
    throw new ProductRuleViolation('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

function checkedDescription(raw: string): string {
  const description = raw.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new ProductRuleViolation('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  return description;
}

function checkedPrice(priceCents: number): number {
  const problem = priceProblem(priceCents);
  if (problem) throw new ProductRuleViolation('priceCents', problem);
  return priceCents;
}
