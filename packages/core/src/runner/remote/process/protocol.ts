/**
 * The JSONL protocol between the runner and a process target (docs/cli/targets.md). The runner writes one input
 * message per run; the process answers with optional deltas and then one final or error message, all carrying the
 * run's id. Any other line on stdout is the process's log.
 */
export interface InputMessage {
  type: 'input';
  id: string;
  input: unknown;
  persona: string | null;
  iteration: number;
  traceparent: string;
}

export type ReplyMessage =
  | { type: 'delta'; id: string; text: string }
  | { type: 'final'; id: string; output: unknown }
  | { type: 'error'; id: string; message: string };

/** A stdout line as a reply, or undefined when it is not one (a log line, or JSON that is not a protocol reply). */
export function parseReply(line: string): ReplyMessage | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const message = value as Record<string, unknown>;
  if (typeof message.id !== 'string') return undefined;
  switch (message.type) {
    case 'delta':
      return typeof message.text === 'string' ? { type: 'delta', id: message.id, text: message.text } : undefined;
    case 'final':
      return { type: 'final', id: message.id, output: message.output ?? null };
    case 'error':
      return { type: 'error', id: message.id, message: describeError(message.message) };
    default:
      return undefined;
  }
}

function describeError(message: unknown): string {
  if (typeof message === 'string' && message.length > 0) return message;
  return 'the process reported an error without a message';
}
