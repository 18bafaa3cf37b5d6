export type ProbeOutcome = { answered: true; status: number } | { answered: false; error: string };

/**
 * Sends one request and reports whether the server answered (any HTTP status) or why not. Never throws: an
 * unreachable host is a finding, not a crash. Redirects are not followed (an answer is an answer).
 */
export async function probeUrl(
  url: string,
  options: { method: 'GET' | 'HEAD'; headers?: Record<string, string>; timeoutMs: number },
): Promise<ProbeOutcome> {
  try {
    const response = await fetch(url, {
      method: options.method,
      headers: options.headers ?? {},
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body?.cancel();
    return { answered: true, status: response.status };
  } catch (err) {
    return { answered: false, error: networkError(err, options.timeoutMs) };
  }
}

function networkError(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`;
  // undici reports "fetch failed" with the real reason (ECONNREFUSED, ENOTFOUND, a TLS error) as the cause.
  const cause = error?.cause?.message ?? error?.cause?.code;
  return cause ? String(cause) : String(error?.message ?? err);
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A URL fit for a report: credentials in it (user:password@) are left out. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** `base` + `/path` with exactly one slash between them. */
export function joinUrl(base: string, suffix: string): string {
  return `${base.replace(/\/+$/, '')}/${suffix.replace(/^\/+/, '')}`;
}
