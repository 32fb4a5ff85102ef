import { Transform, type Readable } from 'node:stream';
import { isServableStale } from '../domain/stale-if-error';

export interface StaleEntry {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  readonly storedAt: number;
}

export interface StaleCacheOptions {
  maxEntries: number;
  maxEntryBytes: number;
  maxAgeMs: number;
}

/**
 * The last good answer of each cacheable GET (product browsing), kept in
 * process memory (bounded LRU) and replayed only when every instance of the
 * service failed: stale-if-error. In memory on purpose: it must work when
 * Redis is down too, and each gateway instance fills its own copy.
 */
export class StaleResponseCache {
  private readonly entries = new Map<string, StaleEntry>();

  constructor(private readonly options: StaleCacheOptions) {}

  /** Passes the body through to the client while keeping a copy; stored once it ended complete. */
  capture(key: string, status: number, headers: Record<string, string | string[]>, body: Readable): Readable {
    if (this.options.maxEntries === 0) return body;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const tee = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        if (!tooLarge) {
          size += chunk.length;
          if (size > this.options.maxEntryBytes) tooLarge = true;
          else chunks.push(chunk);
        }
        callback(null, chunk);
      },
      flush: (callback) => {
        if (!tooLarge)
          this.store(key, { status, headers, body: Buffer.concat(chunks), storedAt: Date.now() });
        callback();
      },
    });
    body.on('error', (err) => tee.destroy(err));
    // A client gone mid-body destroys the tee; the upstream body must go too, or its socket waits for bodyTimeout.
    tee.on('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    return body.pipe(tee);
  }

  /** The stored answer if it is not older than maxAgeMs. */
  get(key: string, now = Date.now()): StaleEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!isServableStale(now - entry.storedAt, this.options.maxAgeMs)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, entry: StaleEntry): void {
    this.entries.delete(key); // re-inserted as most recent
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
