import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node20',
  // @langchain/core is the application's (a peer dependency): never bundle it.
  external: [/^@langchain\//, /^@opentelemetry\//, /^@fluxloop\//],
});
