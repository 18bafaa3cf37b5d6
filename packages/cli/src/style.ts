import type { Io } from './io.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const plain = (s: string) => s;
const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** Colour for stderr: only on a terminal, never with NO_COLOR (https://no-color.org), forced by FORCE_COLOR. */
export function styleFor(io: Io): Style {
  const force = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
  const on = force || (io.errIsTTY === true && (io.env.NO_COLOR ?? '') === '' && io.env.TERM !== 'dumb');
  if (!on) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
}
