/** Kept in step with package.json (test/version.test.ts). */
export const SDK_VERSION = '0.1.0';
