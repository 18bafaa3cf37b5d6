import fs from 'node:fs';
import path from 'node:path';

/** How an existing file at a scaffolded path is treated. */
export type ExistingFilePolicy =
  /** A conflict: written only with force (configs and the agent, which init is for). */
  | 'replace'
  /** Kept as it is and reported as skipped (a user's README, .env with secrets, package.json). */
  | 'keep'
  /** Lines missing from it are appended (.gitignore): nothing the user wrote is lost. */
  | 'append-lines';

export interface ScaffoldFile {
  /** Path in the new project, with forward slashes. */
  path: string;
  content: string;
  policy: ExistingFilePolicy;
}

/** Template file (under templates/project/) -> where it goes. npm drops dotfiles such as .gitignore from packages. */
const TEMPLATE_FILES: { template: string; path: string; policy: ExistingFilePolicy }[] = [
  { template: 'configs/project.yaml', path: 'configs/project.yaml', policy: 'replace' },
  { template: 'configs/input.yaml', path: 'configs/input.yaml', policy: 'replace' },
  { template: 'configs/simulation.yaml', path: 'configs/simulation.yaml', policy: 'replace' },
  { template: 'configs/evaluation.yaml', path: 'configs/evaluation.yaml', policy: 'replace' },
  { template: 'agent.ts', path: 'agent.ts', policy: 'replace' },
  { template: 'env', path: '.env', policy: 'keep' },
  { template: 'gitignore', path: '.gitignore', policy: 'append-lines' },
  { template: 'README.md', path: 'README.md', policy: 'keep' },
];

/** Replaces `{{key}}`; a placeholder without a value is a bug in the templates, not something to leave in a file. */
export function render(template: string, values: Readonly<Record<string, string>>, file: string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    if (!Object.hasOwn(values, key)) throw new Error(`template ${file} uses {{${key}}}, which has no value`);
    return values[key]!;
  });
}

/** The project's template files, rendered. */
export function renderTemplates(templatesDir: string, values: Readonly<Record<string, string>>): ScaffoldFile[] {
  return TEMPLATE_FILES.map(({ template, path: target, policy }) => ({
    path: target,
    policy,
    content: render(fs.readFileSync(path.join(templatesDir, template), 'utf8'), values, template),
  }));
}
