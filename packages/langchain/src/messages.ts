/**
 * LangChain messages as compact JSON for span payloads: `{ role, content, tool_calls? ... }`, the shape of the
 * GenAI conventions' input/output messages, instead of LangChain's serialized constructor form (five times
 * larger and unreadable in a trace viewer). Duck-typed, so messages from any copy of @langchain/core work.
 */

export interface MessageJson {
  role: string;
  content: unknown;
  name?: string;
  tool_calls?: { id?: string; name: string; arguments: unknown }[];
  tool_call_id?: string;
}

interface MessageLike {
  getType(): string;
  content: unknown;
  name?: string;
  tool_calls?: { id?: string; name: string; args: unknown }[];
  tool_call_id?: string;
  role?: string;
}

const ROLES: Record<string, string> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  developer: 'system',
  tool: 'tool',
  function: 'function',
  remove: 'remove',
};

export function isMessage(value: unknown): value is MessageLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MessageLike).getType === 'function' &&
    'content' in (value as object)
  );
}

export function messageJson(message: MessageLike): MessageJson {
  const type = message.getType();
  const out: MessageJson = { role: ROLES[type] ?? message.role ?? type, content: message.content };
  if (message.name) out.name = message.name;
  if (message.tool_calls && message.tool_calls.length > 0) {
    out.tool_calls = message.tool_calls.map((c) => ({
      ...(c.id ? { id: c.id } : {}),
      name: c.name,
      arguments: c.args,
    }));
  }
  if (message.tool_call_id) out.tool_call_id = message.tool_call_id;
  return out;
}

/**
 * Replaces messages found in a chain's inputs or outputs (a LangGraph state's `messages` channel, a prompt's
 * message list) by their compact JSON, a few levels deep; everything else is left for the serializer.
 */
export function normalize(value: unknown, depth = 0): unknown {
  if (isMessage(value)) return messageJson(value);
  if (depth >= 3 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    return value.some((v) => typeof v === 'object' && v !== null) ? value.map((v) => normalize(v, depth + 1)) : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    const n = typeof v === 'object' && v !== null ? normalize(v, depth + 1) : v;
    if (n !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      out[key] = n;
    }
  }
  return out ?? value;
}
