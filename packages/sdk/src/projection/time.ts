import type { HrTime } from './snapshot.js';

/** ISO 8601 UTC with microsecond precision: sibling spans often start within the same millisecond. */
export function isoFromHrTime(time: HrTime): string {
  const [seconds, nanos] = time;
  // Spans of a batch mostly share their second: format the date part once per second, not per span.
  if (seconds !== lastSecond) {
    lastSecond = seconds;
    lastPrefix = new Date(seconds * 1000).toISOString().slice(0, 19);
  }
  const micros = Math.floor(nanos / 1000);
  return `${lastPrefix}.${micros < 100000 ? String(micros).padStart(6, '0') : micros}Z`;
}

let lastSecond = Number.NaN;
let lastPrefix = '';

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
