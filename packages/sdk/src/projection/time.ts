import type { HrTime } from './snapshot.js';

/** ISO 8601 UTC with microsecond precision: sibling spans often start within the same millisecond. */
export function isoFromHrTime(time: HrTime): string {
  const [seconds, nanos] = time;
  const millis = seconds * 1000 + Math.floor(nanos / 1e6);
  const micros = Math.floor(nanos / 1000) % 1000;
  const base = new Date(millis).toISOString();
  return `${base.slice(0, 23)}${micros < 10 ? '00' : micros < 100 ? '0' : ''}${micros}Z`;
}

/** Milliseconds between two HrTimes, rounded to microseconds, never negative. */
export function durationMs(start: HrTime, end: HrTime): number {
  const ms = (end[0] - start[0]) * 1000 + (end[1] - start[1]) / 1e6;
  return ms > 0 ? Math.round(ms * 1000) / 1000 : 0;
}

/** HrTime of a millisecond epoch timestamp (fractions kept to the nanosecond). */
export function hrTimeFromMillis(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}
