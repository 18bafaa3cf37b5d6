import type { ObservationDraft } from './observation.js';
import { payloadText } from './payload.js';
import type { TraceDraft } from './trace-assembler.js';

/**
 * Record → one JSON line (without the newline). Written field by field so that payloads that are already JSON
 * text are spliced in rather than parsed and re-serialized; ids and timestamps are hex and ISO strings that
 * never need escaping. The output is byte-for-byte what JSON.stringify would give for the same record.
 */
const q = JSON.stringify;

function nullableString(value: string | null): string {
  return value === null ? 'null' : q(value);
}

export function encodeObservation(r: ObservationDraft): string {
  return (
    `{"schema_version":"${r.schema_version}","id":"${r.id}","trace_id":"${r.trace_id}",` +
    `"parent_observation_id":${r.parent_observation_id === null ? 'null' : `"${r.parent_observation_id}"`},` +
    `"type":"${r.type}","name":${q(r.name)},"start_time":"${r.start_time}","end_time":"${r.end_time}",` +
    `"duration_ms":${r.duration_ms},"level":"${r.level}","input":${payloadText(r.input)},` +
    `"output":${payloadText(r.output)},"status_message":${nullableString(r.status_message)},` +
    `"metadata":${q(r.metadata)},"model":${nullableString(r.model)},"token_usage":${q(r.token_usage)}}`
  );
}

export function encodeTrace(r: TraceDraft): string {
  return (
    `{"schema_version":"${r.schema_version}","trace_id":"${r.trace_id}",` +
    `"root_observation_id":"${r.root_observation_id}","name":${q(r.name)},"start_time":"${r.start_time}",` +
    `"end_time":"${r.end_time}","duration_ms":${r.duration_ms},"status":"${r.status}",` +
    `"input":${payloadText(r.input)},"output":${payloadText(r.output)},"error":${nullableString(r.error)},` +
    `"metadata":${q(r.metadata)},"tags":${q(r.tags)},"session_id":${nullableString(r.session_id)},` +
    `"user_id":${nullableString(r.user_id)},"experiment_id":${nullableString(r.experiment_id)},` +
    `"iteration":${r.iteration === null ? 'null' : r.iteration},"persona":${nullableString(r.persona)},` +
    `"service_name":${nullableString(r.service_name)},"token_usage":${q(r.token_usage)},` +
    `"observation_count":${r.observation_count}}`
  );
}
