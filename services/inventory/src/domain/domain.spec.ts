import {
  answerTo,
  applyMovement,
  decideCommit,
  decideExpiry,
  decideRelease,
  decideReserve,
  deltaOf,
  EMPTY_STOCK,
  isReservable,
  lockOrder,
  MAX_UNITS,
  mergeItems,
  stockInvariantHolds,
  StockRuleViolation,
  type ProductStock,
  type Reservation,
  type ReservationDecision,
  type StockLevel,
} from './index';

const P1 = '00000000-0000-7000-8000-000000000001';
const P2 = '00000000-0000-7000-8000-000000000002';
const P3 = '00000000-0000-7000-8000-000000000003';
const ORDER = '10000000-0000-7000-8000-000000000001';
const RES_ID = '20000000-0000-7000-8000-000000000001';
const NOW = new Date('2026-11-21T10:00:00.000Z');
const TTL = 15 * 60_000;
const context = { now: NOW, ttlMs: TTL, newReservationId: RES_ID };

const stockOf = (...products: [string, number, boolean?][]): Map<string, ProductStock> =>
  new Map(
    products.map(([productId, available, reservable = true]) => [
      productId,
      { productId, available, reservable },
    ]),
  );

const reserved = (overrides: Partial<Reservation> = {}): Reservation => ({
  orderId: ORDER,
  reservationId: RES_ID,
  status: 'RESERVED',
  items: [
    { productId: P1, quantity: 2 },
    { productId: P2, quantity: 1 },
  ],
  expiresAt: new Date(NOW.getTime() + TTL),
  failure: null,
  version: 1,
  ...overrides,
});

describe('items', () => {
  it('merges repeated products, sums their quantities and sorts by product id (the lock order)', () => {
    expect(
      mergeItems([
        { productId: P2, quantity: 1 },
        { productId: P1.toUpperCase(), quantity: 2 },
        { productId: P2, quantity: 3 },
      ]),
    ).toEqual([
      { productId: P1, quantity: 2 },
      { productId: P2, quantity: 4 },
    ]);
    expect(lockOrder([P3, P1, P3.toUpperCase(), P2])).toEqual([P1, P2, P3]);
  });

  it('lets only active products be reserved', () => {
    expect(isReservable('active')).toBe(true);
    expect(isReservable('discontinued')).toBe(false);
  });
});

describe('stock arithmetic', () => {
  const level: StockLevel = { available: 5, reserved: 3, sold: 2, restocked: 10 };

  it.each([
    ['reserve', { available: 3, reserved: 5, sold: 2, restocked: 10 }],
    ['release', { available: 7, reserved: 1, sold: 2, restocked: 10 }],
    ['commit', { available: 5, reserved: 1, sold: 4, restocked: 10 }],
    ['sell', { available: 3, reserved: 3, sold: 4, restocked: 10 }],
    ['restock', { available: 7, reserved: 3, sold: 2, restocked: 12 }],
  ] as const)('%s of 2 moves units between buckets and keeps the sum', (kind, expected) => {
    const next = applyMovement(level, { kind, quantity: 2 });
    expect(next).toEqual(expected);
    expect(stockInvariantHolds(next)).toBe(true);
  });

  it('refuses a movement that would make a bucket negative', () => {
    expect(() => applyMovement(level, { kind: 'reserve', quantity: 6 })).toThrow(StockRuleViolation);
    expect(() => applyMovement(level, { kind: 'sell', quantity: 6 })).toThrow(/available negative/);
    expect(() => applyMovement(level, { kind: 'release', quantity: 4 })).toThrow(/reserved negative/);
    expect(() => applyMovement(level, { kind: 'commit', quantity: 4 })).toThrow(/reserved negative/);
  });

  it('refuses what would overflow a bucket, and non-positive or fractional quantities', () => {
    expect(() => applyMovement({ ...EMPTY_STOCK }, { kind: 'restock', quantity: MAX_UNITS })).not.toThrow();
    expect(() =>
      applyMovement(
        { available: 1, reserved: 0, sold: 0, restocked: 1 },
        { kind: 'restock', quantity: MAX_UNITS },
      ),
    ).toThrow(/exceed/);
    for (const quantity of [0, -1, 1.5, Number.NaN])
      expect(() => deltaOf({ kind: 'restock', quantity })).toThrow(StockRuleViolation);
  });

  it('checks the invariant: restocked = available + reserved + sold, nothing negative', () => {
    expect(stockInvariantHolds(EMPTY_STOCK)).toBe(true);
    expect(stockInvariantHolds(level)).toBe(true);
    expect(stockInvariantHolds({ ...level, sold: 3 })).toBe(false);
    expect(stockInvariantHolds({ available: -1, reserved: 1, sold: 0, restocked: 0 })).toBe(false);
  });
});

describe('decideReserve', () => {
  it('reserves everything when every product has enough, until now + TTL', () => {
    const decision = decideReserve(
      null,
      {
        orderId: ORDER,
        items: [
          { productId: P2, quantity: 1 },
          { productId: P1, quantity: 1 },
          { productId: P1, quantity: 1 },
        ],
      },
      stockOf([P1, 2], [P2, 5]),
      context,
    );
    expect(decision.next).toEqual(reserved());
    expect(decision.movements).toEqual([
      { productId: P1, kind: 'reserve', quantity: 2 },
      { productId: P2, kind: 'reserve', quantity: 1 },
    ]);
    expect(decision.reply).toEqual({
      type: 'StockReserved',
      reservationId: RES_ID,
      items: reserved().items,
      expiresAt: new Date('2026-11-21T10:15:00.000Z'),
    });
  });

  it('is all or nothing: one short product refuses the whole order with OUT_OF_STOCK, naming only the short ones', () => {
    const decision = decideReserve(
      null,
      {
        orderId: ORDER,
        items: [
          { productId: P1, quantity: 2 },
          { productId: P2, quantity: 4 },
        ],
      },
      stockOf([P1, 10], [P2, 3]),
      context,
    );
    expect(decision.movements).toEqual([]);
    expect(decision.next).toMatchObject({ status: 'REFUSED', reservationId: null, items: [], version: 1 });
    expect(decision.reply).toEqual({
      type: 'StockReservationFailed',
      reason: 'OUT_OF_STOCK',
      shortages: [{ productId: P2, requested: 4, available: 3 }],
    });
  });

  it('refuses unknown and discontinued products with UNKNOWN_PRODUCT (available 0), listing short ones too', () => {
    const decision = decideReserve(
      null,
      {
        orderId: ORDER,
        items: [
          { productId: P1, quantity: 1 },
          { productId: P2, quantity: 1 },
          { productId: P3, quantity: 9 },
        ],
      },
      stockOf([P2, 50, false], [P3, 2]),
      context,
    );
    expect(decision.reply).toEqual({
      type: 'StockReservationFailed',
      reason: 'UNKNOWN_PRODUCT',
      shortages: [
        { productId: P1, requested: 1, available: 0 },
        { productId: P2, requested: 1, available: 0 },
        { productId: P3, requested: 9, available: 2 },
      ],
    });
    expect(decision.movements).toEqual([]);
  });

  it('takes the very last units', () => {
    const decision = decideReserve(
      null,
      { orderId: ORDER, items: [{ productId: P1, quantity: 3 }] },
      stockOf([P1, 3]),
      context,
    );
    expect(decision.reply?.type).toBe('StockReserved');
  });

  it.each([
    ['RESERVED', reserved()],
    ['COMMITTED', reserved({ status: 'COMMITTED', version: 2 })],
    ['RELEASED', reserved({ status: 'RELEASED', version: 2 })],
    ['EXPIRED', reserved({ status: 'EXPIRED', version: 2 })],
  ] as const)(
    'answers a repeated ReserveStock of a %s order with the first answer, changing nothing',
    (_, existing) => {
      const decision = decideReserve(
        existing,
        { orderId: ORDER, items: [{ productId: P3, quantity: 1 }] },
        stockOf([P3, 100]),
        { ...context, newReservationId: 'another' },
      );
      expect(decision).toEqual({
        movements: [],
        reply: {
          type: 'StockReserved',
          reservationId: RES_ID,
          items: existing.items,
          expiresAt: existing.expiresAt,
        },
      });
    },
  );

  it('repeats a refusal, and refuses an order released before it was reserved with ORDER_RELEASED', () => {
    const refusal = decideReserve(
      null,
      { orderId: ORDER, items: [{ productId: P1, quantity: 5 }] },
      stockOf([P1, 1]),
      context,
    );
    const again = decideReserve(refusal.next!, { orderId: ORDER, items: [] }, stockOf([P1, 100]), context);
    expect(again).toEqual({ movements: [], reply: refusal.reply });

    const tombstone = decideRelease(null, ORDER).next!;
    expect(
      decideReserve(
        tombstone,
        { orderId: ORDER, items: [{ productId: P1, quantity: 1 }] },
        stockOf([P1, 9]),
        context,
      ),
    ).toEqual({
      movements: [],
      reply: { type: 'StockReservationFailed', reason: 'ORDER_RELEASED', shortages: [] },
    });
  });
});

describe('decideRelease', () => {
  it('gives a live reservation back to available', () => {
    const decision = decideRelease(reserved(), ORDER);
    expect(decision.next).toEqual(reserved({ status: 'RELEASED', version: 2 }));
    expect(decision.movements).toEqual([
      { productId: P1, kind: 'release', quantity: 2 },
      { productId: P2, kind: 'release', quantity: 1 },
    ]);
    expect(decision.reply).toEqual({ type: 'StockReleased', reservationId: RES_ID });
  });

  it('records an order released before any reservation as a tombstone, and acknowledges', () => {
    expect(decideRelease(null, ORDER)).toEqual({
      next: {
        orderId: ORDER,
        reservationId: null,
        status: 'RELEASED',
        items: [],
        expiresAt: null,
        failure: null,
        version: 1,
      },
      movements: [],
      reply: { type: 'StockReleased', reservationId: null },
    });
  });

  it.each(['RELEASED', 'EXPIRED', 'COMMIT_FAILED'] as const)(
    'acknowledges a %s reservation again without any effect',
    (status) => {
      expect(decideRelease(reserved({ status, version: 2 }), ORDER)).toEqual({
        movements: [],
        reply: { type: 'StockReleased', reservationId: RES_ID },
      });
    },
  );

  it('acknowledges a refused order (it holds nothing)', () => {
    const refused = decideReserve(
      null,
      { orderId: ORDER, items: [{ productId: P1, quantity: 1 }] },
      new Map(),
      context,
    ).next!;
    expect(decideRelease(refused, ORDER)).toEqual({
      movements: [],
      reply: { type: 'StockReleased', reservationId: null },
    });
  });

  it('refuses to release sold goods, with an alert', () => {
    const decision = decideRelease(reserved({ status: 'COMMITTED', version: 2 }), ORDER);
    expect(decision.next).toBeUndefined();
    expect(decision.movements).toEqual([]);
    expect(decision.reply).toEqual({ type: 'StockReleaseFailed', reason: 'ALREADY_COMMITTED' });
    expect(decision.alert?.kind).toBe('RELEASE_AFTER_COMMIT');
  });
});

describe('decideCommit', () => {
  const committed = { type: 'StockCommitted', reservationId: RES_ID, items: reserved().items };

  it('moves reserved units to sold', () => {
    const decision = decideCommit(reserved(), ORDER, new Map());
    expect(decision.next).toEqual(reserved({ status: 'COMMITTED', version: 2 }));
    expect(decision.movements).toEqual([
      { productId: P1, kind: 'commit', quantity: 2 },
      { productId: P2, kind: 'commit', quantity: 1 },
    ]);
    expect(decision.reply).toEqual(committed);
  });

  it('commits a reservation past its deadline that the sweeper has not released yet (its units are still held)', () => {
    const late = reserved({ expiresAt: new Date(NOW.getTime() - 1) });
    expect(decideCommit(late, ORDER, new Map()).movements.map((m) => m.kind)).toEqual(['commit', 'commit']);
  });

  it('acknowledges a committed reservation again without effect', () => {
    expect(decideCommit(reserved({ status: 'COMMITTED', version: 2 }), ORDER, new Map())).toEqual({
      movements: [],
      reply: committed,
    });
  });

  it('re-takes the units of an expired reservation from available when they are all there', () => {
    const decision = decideCommit(
      reserved({ status: 'EXPIRED', version: 2 }),
      ORDER,
      stockOf([P1, 2], [P2, 1, false]),
    );
    expect(decision.next).toMatchObject({ status: 'COMMITTED', version: 3 });
    expect(decision.movements).toEqual([
      { productId: P1, kind: 'sell', quantity: 2 },
      { productId: P2, kind: 'sell', quantity: 1 },
    ]);
    expect(decision.reply).toEqual(committed);
    expect(decision.notice).toMatch(/expired/);
    expect(decision.alert).toBeUndefined();
  });

  it('takes nothing and raises an alert when an expired reservation cannot be re-taken in full', () => {
    const decision = decideCommit(
      reserved({ status: 'EXPIRED', version: 2 }),
      ORDER,
      stockOf([P1, 5], [P2, 0]),
    );
    expect(decision.next).toMatchObject({ status: 'COMMIT_FAILED', version: 3 });
    expect(decision.movements).toEqual([]);
    expect(decision.reply).toBeUndefined();
    expect(decision.alert).toMatchObject({
      kind: 'COMMIT_AFTER_EXPIRY_SHORTFALL',
      detail: { shortages: [{ productId: P2, requested: 1, available: 0 }] },
    });
    // A repeated commit does not alert twice.
    expect(decideCommit(decision.next!, ORDER, stockOf([P1, 5], [P2, 9]))).toEqual({ movements: [] });
  });

  it.each([
    ['no reservation', null],
    ['a released one', reserved({ status: 'RELEASED', version: 2 })],
    ['a tombstone', decideRelease(null, ORDER).next!],
  ])('alerts and changes nothing for %s', (_, existing) => {
    const decision = decideCommit(existing, ORDER, stockOf([P1, 9], [P2, 9]));
    expect(decision.next).toBeUndefined();
    expect(decision.movements).toEqual([]);
    expect(decision.reply).toBeUndefined();
    expect(decision.alert?.kind).toBe('COMMIT_WITHOUT_RESERVATION');
  });
});

describe('decideExpiry', () => {
  const deadline = reserved().expiresAt!;

  it('leaves a reservation alone before its deadline', () => {
    expect(decideExpiry(reserved(), new Date(deadline.getTime() - 1))).toEqual({ movements: [] });
  });

  it('releases it at its deadline and tells observers', () => {
    const decision = decideExpiry(reserved(), deadline);
    expect(decision.next).toEqual(reserved({ status: 'EXPIRED', version: 2 }));
    expect(decision.movements.map((m) => m.kind)).toEqual(['release', 'release']);
    expect(decision.reply).toEqual({ type: 'StockReleased', reservationId: RES_ID });
  });

  it.each(['COMMITTED', 'RELEASED', 'EXPIRED'] as const)('never touches a %s reservation', (status) => {
    expect(decideExpiry(reserved({ status }), new Date(deadline.getTime() + 1))).toEqual({ movements: [] });
  });

  it('ignores a missing reservation', () => {
    expect(decideExpiry(null, NOW)).toEqual({ movements: [] });
  });
});

describe('random runs keep the books balanced', () => {
  /** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: 400 random commands, restocks and sweeps', (seed) => {
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const products = [P1, P2, P3];
    const levels = new Map(products.map((p) => [p, { ...EMPTY_STOCK }]));
    const discontinued = new Set<string>();
    const reservations = new Map<string, Reservation>();
    const orders = Array.from(
      { length: 25 },
      (_, i) => `30000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    );
    let clock = NOW.getTime();
    let ids = 0;

    const apply = (orderId: string, decision: ReservationDecision) => {
      for (const movement of decision.movements)
        levels.set(movement.productId, applyMovement(levels.get(movement.productId)!, movement));
      if (decision.next) reservations.set(orderId, decision.next);
    };
    const stock = () =>
      new Map(
        products.map((productId) => [
          productId,
          {
            productId,
            available: levels.get(productId)!.available,
            reservable: !discontinued.has(productId),
          },
        ]),
      );

    for (let step = 0; step < 400; step++) {
      clock += Math.floor(random() * 60_000);
      const now = new Date(clock);
      const orderId = pick(orders);
      const existing = reservations.get(orderId) ?? null;
      const roll = random();
      if (roll < 0.35) {
        const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
          productId: pick(products),
          quantity: 1 + Math.floor(random() * 4),
        }));
        apply(
          orderId,
          decideReserve(existing, { orderId, items }, stock(), {
            now,
            ttlMs: 5 * 60_000,
            newReservationId: `r${ids++}`,
          }),
        );
      } else if (roll < 0.5) apply(orderId, decideRelease(existing, orderId));
      else if (roll < 0.65) apply(orderId, decideCommit(existing, orderId, stock()));
      else if (roll < 0.8) {
        const productId = pick(products);
        levels.set(
          productId,
          applyMovement(levels.get(productId)!, { kind: 'restock', quantity: 1 + Math.floor(random() * 5) }),
        );
      } else if (roll < 0.82) discontinued.add(pick(products));
      else for (const [id, reservation] of reservations) apply(id, decideExpiry(reservation, now));

      // The invariant, and the buckets agree with the reservations that hold them.
      for (const productId of products) {
        const level = levels.get(productId)!;
        expect(stockInvariantHolds(level)).toBe(true);
        const held = (status: string) =>
          [...reservations.values()]
            .filter((r) => r.status === status)
            .flatMap((r) => r.items)
            .filter((i) => i.productId === productId)
            .reduce((sum, i) => sum + i.quantity, 0);
        expect(level.reserved).toBe(held('RESERVED'));
        expect(level.sold).toBe(held('COMMITTED'));
      }
    }
    // Every order's answer is stable: asking again changes nothing.
    for (const [orderId, reservation] of reservations) {
      const again = decideReserve(reservation, { orderId, items: [] }, stock(), {
        now: NOW,
        ttlMs: 1,
        newReservationId: 'x',
      });
      expect(again).toEqual({ movements: [], reply: answerTo(reservation) });
    }
  });
});
