/** Kept in step with package.json (packages/sdk/test/version.test.ts). */
export const VERSION = '0.1.0';
