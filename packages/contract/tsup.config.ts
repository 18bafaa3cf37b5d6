import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', validate: 'src/validate.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  shims: true,
});
