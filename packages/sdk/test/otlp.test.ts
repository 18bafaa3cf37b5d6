import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { agent, generation, SDK_VERSION, tool } from '@fluxloop/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { configured, resetFluxLoop } from './helpers/harness.js';
import { renderTree, type TreeNode, tree } from './helpers/tree.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP receiver on loopback: keeps JSON bodies decoded, and counts protobuf ones by content type. */
async function receiver() {
  const spans: OtlpSpan[] = [];
  const resources: Record<string, unknown>[] = [];
  const contentTypes: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(req.headers['content-type'] ?? '');
      headers.push(req.headers);
      if (req.headers['content-type'] === 'application/json') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of body.resourceSpans ?? []) {
          resources.push(
            Object.fromEntries(rs.resource.attributes.map((a: OtlpSpan['attributes'][0]) => [a.key, a.value])),
          );
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
      }
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return { url, spans, resources, contentTypes, headers, close: () => new Promise((r) => server.close(r)) };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await resetFluxLoop();
  await close?.();
});

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? (v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? v.arrayValue) : undefined;
};

describe('OTLP export beside FluxLoop storage', () => {
  it('sends the same span tree, with GenAI attributes and resource, while FluxLoop files are written', async () => {
    const r = await receiver();
    close = r.close;
    const env = await configured({
      serviceName: 'otlp-test',
      otlp: { endpoint: r.url, protocol: 'http/json', headers: { 'x-api-key': 'k-1' } },
    });
    const search = tool(async function search(q: string) {
      return [q];
    });
    const llm = generation(async function llm() {
      return { model: 'gpt-4o-mini', usage: { input_tokens: 7, output_tokens: 3 } };
    });
    await agent(async function planner() {
      await search('docs');
      await llm();
    })();
    expect(await env.client.forceFlush(10_000)).toBe(true);

    const nodes: TreeNode[] = r.spans.map((s) => ({
      id: s.spanId,
      parentId: s.parentSpanId || null,
      traceId: s.traceId,
      label: `${s.name} [${attr(s, 'fluxloop.observation.type')}]`,
      start: '',
    }));
    const expected = tree`
      planner [agent]
        llm [generation]
        search [tool]
    `;
    expect(renderTree(nodes)).toBe(expected);
    const byName = Object.fromEntries(r.spans.map((s) => [s.name, s]));
    expect(attr(byName.planner!, 'gen_ai.operation.name')).toBe('invoke_agent');
    expect(attr(byName.planner!, 'gen_ai.agent.name')).toBe('planner');
    expect(attr(byName.search!, 'gen_ai.tool.name')).toBe('search');
    expect(attr(byName.llm!, 'gen_ai.response.model')).toBe('gpt-4o-mini');
    expect(String(attr(byName.llm!, 'gen_ai.usage.input_tokens'))).toBe('7');
    expect(r.resources[0]).toMatchObject({
      'service.name': { stringValue: 'otlp-test' },
      'telemetry.sdk.name': { stringValue: 'opentelemetry' },
      'telemetry.distro.name': { stringValue: 'fluxloop' },
      'telemetry.distro.version': { stringValue: SDK_VERSION },
    });
    expect(r.headers[0]!['x-api-key']).toBe('k-1');

    const { observations } = await env.records();
    expect(observations.map((o) => o.id).sort()).toEqual(r.spans.map((s) => s.spanId).sort());
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT alone turns export on, with protobuf by default', async () => {
    const r = await receiver();
    close = r.close;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = r.url.replace('/v1/traces', '');
    try {
      const env = await configured();
      await agent(function quick() {
        return 1;
      })();
      expect(await env.client.forceFlush(10_000)).toBe(true);
      expect(env.client.config.otlp?.protocol).toBe('http/protobuf');
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    }
    expect(r.contentTypes).toContain('application/x-protobuf');
  });

  it('mirrors inputs and outputs as input.value / output.value for Langfuse and Phoenix (default with OTLP)', async () => {
    const r = await receiver();
    close = r.close;
    const env = await configured({ otlp: { endpoint: r.url, protocol: 'http/json' } });
    await agent(async function answer(question: string) {
      return { text: `re: ${question}` };
    })('hello');
    expect(await env.client.forceFlush(10_000)).toBe(true);
    const span = r.spans.find((s) => s.name === 'answer')!;
    expect(attr(span, 'input.value')).toBe('hello');
    expect(attr(span, 'input.mime_type')).toBe('text/plain');
    expect(attr(span, 'output.value')).toBe('{"text":"re: hello"}');
    expect(attr(span, 'output.mime_type')).toBe('application/json');
    // FluxLoop records read them as the same payload and keep them out of metadata.
    const { observations } = await env.records();
    expect(observations[0]).toMatchObject({ input: ['hello'], output: { text: 're: hello' } });
    expect(
      Object.keys(observations[0]!.metadata).filter((k) => k.startsWith('input.') || k.startsWith('output.')),
    ).toEqual([]);
  });

  it('mirrorPayloads: false leaves only the fluxloop.* payload attributes', async () => {
    const r = await receiver();
    close = r.close;
    const env = await configured({ otlp: { endpoint: r.url, protocol: 'http/json' }, mirrorPayloads: false });
    await agent(async function plain(q: string) {
      return q;
    })('x');
    expect(await env.client.forceFlush(10_000)).toBe(true);
    const span = r.spans.find((s) => s.name === 'plain')!;
    expect(attr(span, 'fluxloop.input')).toBe('x');
    expect(attr(span, 'input.value')).toBeUndefined();
    expect(attr(span, 'output.value')).toBeUndefined();
  });
});
