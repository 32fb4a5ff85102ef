import { assertPositiveMs } from './timeout';

/**
 * Every remote call needs a time limit chosen against its caller's deadline,
 * so there is no default: give `timeoutMs`, `deadlineMs`, or both.
 */
export type BreakerTimeBudget =
  { timeoutMs: number; deadlineMs?: number } | { deadlineMs: number; timeoutMs?: number };

export interface BreakerTuning {
  /** Calls in the rolling window before the breaker may open. Default 10 (opossum's default 0 lets one failure open it). */
  volumeThreshold?: number;
  /** Failure percentage above which it opens. Default 50. */
  errorThresholdPercentage?: number;
  /** How long it stays open before letting one probe call through. Default 10 s. */
  resetTimeoutMs?: number;
  /** Length of the rolling statistics window (10 buckets). Default 10 s. */
  rollingWindowMs?: number;
}

export type BreakerSettingsInput = BreakerTimeBudget & BreakerTuning;

export interface BreakerSettings {
  timeoutMs: number;
  deadlineMs?: number;
  volumeThreshold: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export const BREAKER_DEFAULTS = {
  volumeThreshold: 10,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 10_000,
  rollingWindowMs: 10_000,
} as const;

/**
 * Share of the caller's deadline a derived timeout may use; the rest is left
 * for queueing, serialisation and a fallback answer.
 */
export const DEADLINE_SHARE = 0.8;

function resolveTimeout(timeoutMs: number | undefined, deadlineMs: number | undefined): number {
  if (timeoutMs === undefined && deadlineMs === undefined) {
    throw new TypeError('A breaker needs timeoutMs or deadlineMs: every remote call must have a time limit');
  }
  if (deadlineMs !== undefined) assertPositiveMs('deadlineMs', deadlineMs);
  if (timeoutMs === undefined) {
    const derived = Math.floor((deadlineMs as number) * DEADLINE_SHARE);
    if (derived < 1) throw new RangeError(`deadlineMs ${deadlineMs} is too short to derive a timeout from`);
    return derived;
  }
  assertPositiveMs('timeoutMs', timeoutMs);
  if (deadlineMs !== undefined && timeoutMs >= deadlineMs) {
    throw new RangeError(
      `timeoutMs (${timeoutMs}) must be below the caller's deadlineMs (${deadlineMs}), ` +
        'or the caller gives up before the breaker ever sees a timeout',
    );
  }
  return timeoutMs;
}

/** Fills in defaults and rejects settings that would make the breaker useless or trigger-happy. */
export function resolveBreakerSettings(input: BreakerSettingsInput): BreakerSettings {
  const settings: BreakerSettings = {
    timeoutMs: resolveTimeout(input.timeoutMs, input.deadlineMs),
    volumeThreshold: input.volumeThreshold ?? BREAKER_DEFAULTS.volumeThreshold,
    errorThresholdPercentage: input.errorThresholdPercentage ?? BREAKER_DEFAULTS.errorThresholdPercentage,
    resetTimeoutMs: input.resetTimeoutMs ?? BREAKER_DEFAULTS.resetTimeoutMs,
    rollingWindowMs: input.rollingWindowMs ?? BREAKER_DEFAULTS.rollingWindowMs,
  };
  if (input.deadlineMs !== undefined) settings.deadlineMs = input.deadlineMs;
  if (!Number.isInteger(settings.volumeThreshold) || settings.volumeThreshold < 1) {
    throw new RangeError(
      `volumeThreshold must be an integer >= 1, got ${settings.volumeThreshold} (0 lets a single failure open the breaker)`,
    );
  }
  const threshold = settings.errorThresholdPercentage;
  if (!(threshold > 0 && threshold < 100)) {
    throw new RangeError(`errorThresholdPercentage must be between 0 and 100 exclusive, got ${threshold}`);
  }
  assertPositiveMs('resetTimeoutMs', settings.resetTimeoutMs);
  if (!(settings.rollingWindowMs >= 10)) {
    throw new RangeError(`rollingWindowMs must be >= 10, got ${settings.rollingWindowMs}`);
  }
  return settings;
}
