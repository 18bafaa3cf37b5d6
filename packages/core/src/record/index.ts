export { DEFAULT_RECORDING_FILE } from './common.js';
export {
  type DotenvEdit,
  formatDotenvValue,
  readDotenvValues,
  type SetDotenvOptions,
  setDotenvValue,
} from './dotenv-edit.js';
export { disableRecording, enableRecording } from './record-settings.js';
export { getRecordingStatus } from './record-status.js';
export {
  candidatePaths,
  isParamPath,
  parseRecordedCall,
  type RecordedCall,
  type RecordingContent,
  type RecordingScan,
  resolvesIn,
  type ScanOptions,
  scanRecording,
} from './recording-scan.js';
export type * from './types.js';
export { writeFileAtomic } from './write-atomic.js';
export { type InsertPosition, setYamlValue, type YamlEdit } from './yaml-edit.js';
