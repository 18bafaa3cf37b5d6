import { stringify } from 'yaml';
import { type InputConfig, loadProject } from '../../../src/index.js';
import { tempProject } from '../../helpers/project.js';

/** configs/input.yaml as written (a plain object), loaded the real way: schema-checked, defaults filled in. */
export function loadInputConfig(input: object): InputConfig {
  const root = tempProject({ 'configs/project.yaml': 'name: demo\n', 'configs/input.yaml': stringify(input) });
  return loadProject({ cwd: root, env: {} }).need('input');
}

export const PERSONAS = {
  alice: {
    name: 'alice',
    description: 'A busy parent who shops on mobile',
    characteristics: ['impatient', 'polite'],
    expertise_level: 'novice',
    goals: ['get a refund quickly'],
    metadata: { segment: 'retail' },
  },
  bruno: { name: 'bruno', language: 'de', expertise_level: 'expert' },
  chen: { name: 'chen', description: 'The IT admin of a small firm', characteristics: ['skeptical'] },
} as const;
