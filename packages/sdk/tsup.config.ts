import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    projection: 'src/projection/index.ts',
    instrumentation: 'src/instrumentation.ts',
    recording: 'src/recording/index.ts',
    capture: 'src/capture/public.ts',
    // The export worker is loaded by file URL from the main bundle, so it must be an entry of its own (ESM,
    // also used from the CommonJS build).
    'export-worker': 'src/pipeline/export-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    entry: {
      index: 'src/index.ts',
      projection: 'src/projection/index.ts',
      instrumentation: 'src/instrumentation.ts',
      recording: 'src/recording/index.ts',
      capture: 'src/capture/public.ts',
    },
  },
  // No source maps: the bundles are unminified, and maps of split CJS chunks point at absolute build paths.
  sourcemap: false,
  clean: true,
  target: 'node20',
  // import.meta.url in the CommonJS build (to find export-worker.js beside it).
  shims: true,
  splitting: true,
});
