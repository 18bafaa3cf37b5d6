import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Compiles a TypeScript fixture with the real TypeScript compiler (what users' builds do) into an .mjs file
 * next to it, so features the test runner's own transformer lacks (TC39 decorators) are tested as users get them.
 */
export function compileFixture(file: string): string {
  const source = fs.readFileSync(file, 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      experimentalDecorators: false,
    },
    fileName: file,
  });
  const target = path.join(path.dirname(file), `.${path.basename(file, '.ts')}.compiled.mjs`);
  fs.writeFileSync(target, out.outputText);
  return target;
}
