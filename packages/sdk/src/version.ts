/** Kept in step with package.json by scripts/check-versions (tested). */
export const SDK_VERSION = '0.1.0';
