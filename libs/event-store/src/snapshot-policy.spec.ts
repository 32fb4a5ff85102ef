import { isSnapshotDue, NEVER_SNAPSHOT, snapshotPolicy } from './snapshot-policy';

describe('snapshot policy', () => {
  const every10 = snapshotPolicy(10);

  it('is due when an append reaches or crosses a multiple of the interval', () => {
    expect(isSnapshotDue(every10, 9, 10)).toBe(true);
    expect(isSnapshotDue(every10, 9, 12)).toBe(true); // a batch crossing 10
    expect(isSnapshotDue(every10, 0, 25)).toBe(true);
    expect(isSnapshotDue(every10, 19, 20)).toBe(true);
  });

  it('is not due between multiples', () => {
    expect(isSnapshotDue(every10, 10, 19)).toBe(false);
    expect(isSnapshotDue(every10, 0, 9)).toBe(false);
    expect(isSnapshotDue(every10, 5, 5)).toBe(false);
  });

  it('takes one snapshot per append that crosses interval boundaries, whatever the batch sizes', () => {
    const batches = [1, 3, 7, 2, 10, 1, 1, 25, 4];
    let version = 0;
    let taken = 0;
    for (const size of batches) {
      if (isSnapshotDue(every10, version, version + size)) taken++;
      version += size;
    }
    expect(version).toBe(54);
    // Snapshots at 11 (crossed 10), 23 (crossed 20) and 50 (one batch crossed 30, 40 and 50).
    expect(taken).toBe(3);
  });

  it('never fires for interval 0', () => {
    expect(isSnapshotDue(NEVER_SNAPSHOT, 0, 1_000)).toBe(false);
    expect(isSnapshotDue(snapshotPolicy(0), 9, 10)).toBe(false);
  });

  it('rejects intervals that are not whole numbers', () => {
    expect(() => snapshotPolicy(-1)).toThrow(RangeError);
    expect(() => snapshotPolicy(2.5)).toThrow(RangeError);
  });
});
