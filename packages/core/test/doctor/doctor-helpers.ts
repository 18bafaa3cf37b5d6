import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { CheckResult, DoctorOptions, DoctorReport } from '../../src/index.js';
import { runDoctor } from '../../src/index.js';
import { linkWorkspacePackages, scaffold, writeFiles } from '../init/scaffold-helpers.js';

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

export interface Server {
  url: string;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
}

/** A real HTTP server on 127.0.0.1 (free port) answering every request with `status`; closed after the test. */
export async function listen(status = 200, body = '{}'): Promise<Server> {
  const requests: Server['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** The URL of a port on 127.0.0.1 that nothing listens on (a server was there and closed). */
export async function closedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A scaffolded project whose node_modules has the workspace's @fluxloop packages, plus `files` on top. */
export function healthyProject(files: Record<string, string> = {}): string {
  const { root } = scaffold();
  linkWorkspacePackages(root);
  writeFiles(root, files);
  return root;
}

/** runDoctor in `cwd` with no environment but what the test gives (PATH for process targets). */
export function doctor(cwd: string, options: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  return runDoctor({ cwd, env: {}, fetchTimeoutMs: 5000, importTimeoutMs: 30_000, ...options });
}

export function check(report: DoctorReport, name: string): CheckResult {
  const found = report.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name}: ${report.checks.map((c) => c.name).join(', ')}`);
  return found;
}

/** Name -> status of every check, in order. */
export function statuses(report: DoctorReport): [string, string][] {
  return report.checks.map((c) => [c.name, c.status]);
}
