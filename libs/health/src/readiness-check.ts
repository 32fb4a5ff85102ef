/**
 * One dependency readiness depends on. `check` resolves (optionally with
 * details for the response) when the dependency answers and rejects when it
 * does not; a check still pending after `timeoutMs` counts as down, so a
 * hanging dependency fails the probe instead of hanging it. `signal` aborts
 * at that moment, for checks that can cancel their work.
 */
export interface ReadinessCheck {
  /** The key of this dependency in the response (`info`, `error`, `details`). */
  readonly name: string;
  readonly timeoutMs: number;
  check(signal: AbortSignal): Promise<Record<string, unknown> | void>;
}

/**
 * Below Kubernetes' probe timeout (set timeoutSeconds >= 2), so a slow
 * dependency is reported in the body rather than by the kubelet giving up.
 */
export const DEFAULT_CHECK_TIMEOUT_MS = 1500;

export interface CheckOptions {
  /** Key in the response; defaults to the dependency kind (`postgres`, `redis`, `kafka`). */
  name?: string;
  timeoutMs?: number;
}
