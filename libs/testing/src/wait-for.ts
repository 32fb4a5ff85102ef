/**
 * Polls `check` until it returns true or the deadline passes, then throws
 * with `describe()` so a failure says what was still missing.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  {
    timeoutMs = 30_000,
    intervalMs = 50,
    describe = () => '',
  }: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms. ${describe()}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
