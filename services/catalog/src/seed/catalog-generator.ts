import type { NewProduct } from '../domain/product';

/**
 * A deterministic, realistic-looking catalog: product i is always the same
 * (SKU, name, description, price), so seeding is repeatable and idempotent
 * by SKU. Pure: no I/O, no Math.random.
 */
interface Category {
  code: string;
  name: string;
  nouns: readonly string[];
  /** Price range in cents. */
  minCents: number;
  maxCents: number;
}

const CATEGORIES: readonly Category[] = [
  {
    code: 'KIT',
    name: 'Kitchen',
    nouns: ['Mug', 'Teapot', 'Skillet', 'Cutting Board', 'Chef Knife', 'Colander'],
    minCents: 499,
    maxCents: 12_999,
  },
  {
    code: 'OUT',
    name: 'Outdoor',
    nouns: ['Tent', 'Backpack', 'Headlamp', 'Sleeping Bag', 'Water Bottle', 'Camp Stove'],
    minCents: 1_499,
    maxCents: 39_999,
  },
  {
    code: 'OFF',
    name: 'Office',
    nouns: ['Notebook', 'Desk Lamp', 'Fountain Pen', 'Monitor Stand', 'Stapler', 'Desk Organizer'],
    minCents: 299,
    maxCents: 14_999,
  },
  {
    code: 'APP',
    name: 'Apparel',
    nouns: ['T-Shirt', 'Hoodie', 'Rain Jacket', 'Wool Socks', 'Beanie', 'Chinos'],
    minCents: 999,
    maxCents: 24_999,
  },
  {
    code: 'HOM',
    name: 'Home',
    nouns: ['Throw Blanket', 'Cushion', 'Vase', 'Candle', 'Picture Frame', 'Wall Clock'],
    minCents: 799,
    maxCents: 19_999,
  },
  {
    code: 'ELE',
    name: 'Electronics',
    nouns: ['Headphones', 'Charger', 'Bluetooth Speaker', 'USB Hub', 'Keyboard', 'Webcam'],
    minCents: 1_299,
    maxCents: 49_999,
  },
];
const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Everyday',
  'Nordic',
  'Rustic',
  'Urban',
  'Vintage',
  'Alpine',
  'Coastal',
] as const;
const MATERIALS = [
  'Oak',
  'Steel',
  'Ceramic',
  'Linen',
  'Bamboo',
  'Cotton',
  'Copper',
  'Recycled',
  'Slate',
  'Walnut',
] as const;
const COLORS = ['Black', 'White', 'Blue', 'Green', 'Grey', 'Red', 'Sand', 'Olive'] as const;

export const DEFAULT_SEED_COUNT = 1_200;

export function generateProduct(index: number): NewProduct {
  const random = mulberry32(index + 1);
  const category = CATEGORIES[index % CATEGORIES.length]!;
  const noun = pick(category.nouns, random);
  const adjective = pick(ADJECTIVES, random);
  const material = pick(MATERIALS, random);
  const color = pick(COLORS, random);
  const dollars = Math.floor(
    category.minCents / 100 + random() * ((category.maxCents - category.minCents) / 100),
  );
  return {
    sku: `${category.code}-${String(index + 1).padStart(5, '0')}`,
    name: `${adjective} ${material} ${noun} (${color})`,
    description: `${category.name}: a ${color.toLowerCase()} ${noun.toLowerCase()} in ${material.toLowerCase()}, ${adjective.toLowerCase()} design.`,
    priceCents: dollars * 100 + 99,
    currency: 'EUR',
  };
}

export function generateCatalog(count: number): NewProduct[] {
  return Array.from({ length: count }, (_, index) => generateProduct(index));
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Small seeded PRNG (public domain); the same seed gives the same sequence everywhere. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
