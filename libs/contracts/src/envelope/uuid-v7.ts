import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids sort by
 * creation time, which keeps B-tree inserts local (outbox, inbox, event
 * store). Within one millisecond this process counts up in the last 56 bits
 * (RFC 9562 "monotonic random", method 3), so the ids it generates are
 * strictly increasing.
 *
 * Written here rather than taken from `uuid`: uuid 14 ships only as ES
 * modules, which Jest cannot require without --experimental-vm-modules.
 */
let lastMs = -1;
let lastTail: Buffer = Buffer.alloc(10);

export function uuidv7(now: number = Date.now()): string {
  const bytes = Buffer.alloc(16);
  if (now > lastMs) {
    lastMs = now;
    lastTail = randomBytes(10);
    lastTail[3]! &= 0x7f; // top counter bit clear: 2^55 increments before it could overflow
  } else {
    lastTail = increment(lastTail); // same millisecond, or the clock went back
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  lastTail.copy(bytes, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Adds one to the last 7 bytes, read as a big-endian counter. */
function increment(tail: Buffer): Buffer {
  const next = Buffer.from(tail);
  for (let i = next.length - 1; i >= 3; i--) {
    next[i] = (next[i]! + 1) & 0xff;
    if (next[i] !== 0) break;
  }
  return next;
}

/** The creation time encoded in a UUIDv7. */
export function uuidv7Timestamp(id: string): Date {
  return new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));
}
