import CircuitBreaker from 'opossum';
import { resolveBreakerSettings, type BreakerSettings, type BreakerSettingsInput } from './breaker-settings';
import { isClientError, type ClientErrorPredicate } from './client-error';
import { jsonConsoleLogger, type ResilienceLogger } from './logger';
import { BREAKER_STATE_VALUE, breakerMetrics } from './metrics';
import { TimeoutError, withTimeout } from './timeout';

/**
 * The protected call. It receives an AbortSignal first: the signal aborts
 * (reason: TimeoutError) when the breaker's timeout fires, so pass it to
 * fetch/undici/pg to stop the work instead of leaving it running.
 */
export type BreakerAction<TArgs extends unknown[], TResult> = (
  signal: AbortSignal,
  ...args: TArgs
) => Promise<TResult>;

export type BreakerOptions<TArgs extends unknown[], TResult> = BreakerSettingsInput & {
  /** Errors the caller caused; they pass through without counting as failures. Default: HTTP 4xx except 408/429. */
  isClientError?: ClientErrorPredicate;
  /** Answer used when the call fails, times out or is rejected by the open breaker (not for client errors). */
  fallback?: (error: unknown, ...args: TArgs) => TResult | Promise<TResult>;
  /** Receives state changes. Default: JSON lines on the console. pino loggers fit as they are. */
  logger?: ResilienceLogger;
};

export type BreakerState = keyof typeof BREAKER_STATE_VALUE;

export interface BreakerSnapshot {
  name: string;
  state: BreakerState | 'shutdown';
  /** Present for breakers made by createBreaker. */
  settings?: BreakerSettings;
  /** Counts over the rolling window. `failures` includes `timeouts`. */
  window: {
    fires: number;
    successes: number;
    failures: number;
    timeouts: number;
    rejects: number;
    fallbacks: number;
  };
}

const settingsByBreaker = new WeakMap<object, BreakerSettings>();
/** Live breakers per name: the name is the metric label, two live breakers must not share it. */
const liveBreakers = new Map<string, number>();

function claimName(name: string, logger: ResilienceLogger): () => void {
  const live = liveBreakers.get(name) ?? 0;
  if (live > 0) {
    logger.warn(
      { breaker: name, live },
      'another live circuit breaker has this name: their metrics will mix',
    );
  }
  liveBreakers.set(name, live + 1);
  return () => {
    const remaining = (liveBreakers.get(name) ?? 1) - 1;
    if (remaining > 0) liveBreakers.set(name, remaining);
    else liveBreakers.delete(name);
  };
}

function stateOf(
  breaker: Pick<CircuitBreaker, 'isShutdown' | 'opened' | 'halfOpen'>,
): BreakerSnapshot['state'] {
  if (breaker.isShutdown) return 'shutdown';
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half-open';
  return 'closed';
}

/** JSON-friendly view of a breaker for health and diagnostics endpoints. */
export function breakerSnapshot<TArgs extends unknown[], TResult>(
  breaker: CircuitBreaker<TArgs, TResult>,
): BreakerSnapshot {
  const { fires, successes, failures, timeouts, rejects, fallbacks } = breaker.stats;
  const snapshot: BreakerSnapshot = {
    name: breaker.name,
    state: stateOf(breaker),
    window: { fires, successes, failures, timeouts, rejects, fallbacks },
  };
  const settings = settingsByBreaker.get(breaker);
  if (settings) snapshot.settings = settings;
  return snapshot;
}

function observe<TArgs extends unknown[], TResult>(
  breaker: CircuitBreaker<TArgs, TResult>,
  settings: BreakerSettings,
  clientErrors: WeakSet<object>,
  logger: ResilienceLogger,
): void {
  const releaseName = claimName(breaker.name, logger);
  const metrics = breakerMetrics();
  const labels = { breaker: breaker.name };
  const logFields = () => ({ breaker: breaker.name, ...breakerSnapshot(breaker).window });
  const enter = (state: BreakerState) => metrics.state.set(labels, BREAKER_STATE_VALUE[state]);

  enter('closed');
  breaker.on('open', () => {
    enter('open');
    logger.warn(
      { ...logFields(), state: 'open', resetTimeoutMs: settings.resetTimeoutMs },
      'circuit breaker opened: calls fail fast',
    );
  });
  breaker.on('halfOpen', () => {
    enter('half-open');
    logger.info(
      { ...logFields(), state: 'half-open' },
      'circuit breaker half-open: letting one probe call through',
    );
  });
  breaker.on('close', () => {
    enter('closed');
    logger.info({ ...logFields(), state: 'closed' }, 'circuit breaker closed: calls flow again');
  });
  // opossum reports a filtered (client) error as a 'success' whose result is the error.
  breaker.on('success', (result) => {
    const isClientError = typeof result === 'object' && result !== null && clientErrors.has(result);
    (isClientError ? metrics.clientErrors : metrics.successes).inc(labels);
  });
  breaker.on('failure', () => metrics.failures.inc(labels));
  breaker.on('timeout', () => metrics.timeouts.inc(labels));
  breaker.on('reject', () => metrics.rejections.inc(labels));
  breaker.on('fallback', () => metrics.fallbacks.inc(labels));
  // Per-instance breakers come and go (gateway upstreams): drop the state series with them.
  breaker.on('shutdown', () => {
    releaseName();
    if (!liveBreakers.has(breaker.name)) metrics.state.remove(labels);
  });
}

/**
 * An opossum CircuitBreaker around `action` with defaults that avoid
 * opossum's traps (see README): volumeThreshold 10, client errors not counted
 * as failures, a per-call timeout that aborts the call's own signal and sits
 * below the caller's deadline, no per-failure percentile sorting, state
 * changes logged and exported as metrics under the label `breaker=name`.
 * Call `breaker.shutdown()` when the dependency goes away.
 */
export function createBreaker<TArgs extends unknown[], TResult>(
  name: string,
  action: BreakerAction<TArgs, TResult>,
  options: BreakerOptions<TArgs, TResult>,
): CircuitBreaker<TArgs, TResult> {
  const settings = resolveBreakerSettings(options);
  const isCallerFault = options.isClientError ?? isClientError;
  const clientErrors = new WeakSet<object>();

  const timedAction = async (...args: TArgs): Promise<TResult> => {
    const startedAt = Date.now();
    let callSignal: AbortSignal | undefined;
    try {
      return await withTimeout((signal) => {
        callSignal = signal;
        return action(signal, ...args);
      }, settings.timeoutMs);
    } catch (error) {
      // Reported like opossum's own timeout: a 'timeout' event, then the failure.
      if (error instanceof TimeoutError && callSignal?.reason === error) {
        breaker.emit('timeout', error, Date.now() - startedAt, args);
      }
      throw error;
    }
  };

  const breaker = new CircuitBreaker<TArgs, TResult>(timedAction, {
    name,
    // opossum's own timeout cannot abort the one call that timed out (its
    // abortController is shared by every call), so the timeout is ours.
    timeout: false,
    volumeThreshold: settings.volumeThreshold,
    errorThresholdPercentage: settings.errorThresholdPercentage,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: settings.rollingWindowMs,
    rollingCountBuckets: 10,
    // Percentiles make opossum sort every latency in the window on each failure; latency belongs to RED metrics.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    errorFilter: (error: unknown) => {
      const filtered = isCallerFault(error);
      if (filtered && typeof error === 'object' && error !== null) clientErrors.add(error);
      return filtered;
    },
  });
  settingsByBreaker.set(breaker, settings);

  const { fallback } = options;
  if (fallback) {
    // opossum calls the fallback with (...args, error).
    breaker.fallback((...argsThenError: unknown[]) => {
      const error = argsThenError.pop();
      return fallback(error, ...(argsThenError as TArgs));
    });
  }
  observe(breaker, settings, clientErrors, options.logger ?? jsonConsoleLogger);
  return breaker;
}
