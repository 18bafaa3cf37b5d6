export { keySegments } from './keys.js';
export {
  cutString,
  itemsTruncationMarker,
  jsonTruncationMarker,
  keysTruncationMarker,
  redactionMarker,
  truncationMarker,
} from './markers.js';
export {
  BUILTIN_REDACTION_RULES,
  type KeyRedactionRule,
  REDACTION_ERROR_RULE,
  type RedactionRule,
  Redactor,
  type ValueRedactionRule,
} from './redaction.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_ITEMS, type SerializeOptions, toJsonText } from './serialize.js';
