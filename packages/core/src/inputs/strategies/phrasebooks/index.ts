import { GERMAN } from './de.js';
import { SPANISH } from './es.js';
import { FRENCH } from './fr.js';
import { ITALIAN } from './it.js';
import { PORTUGUESE } from './pt.js';
import type { Phrasebook } from './types.js';

export type { Phrasebook } from './types.js';

/** The languages the deterministic multilingual strategy has phrasebooks for, in the order of the seeded choice. */
export const PHRASEBOOKS: readonly Phrasebook[] = [SPANISH, FRENCH, GERMAN, PORTUGUESE, ITALIAN];

export const phrasebookFor = (code: string): Phrasebook | undefined =>
  PHRASEBOOKS.find((book) => book.code === code.toLowerCase().split('-')[0]);
