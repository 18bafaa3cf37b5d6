// Added cost of argument recording (FLUXLOOP_RECORD_ARGS) per agent() call, in one process: the same wrapped
// handler called ROUNDS x CALLS times with recording off and on, interleaved round by round, spans going nowhere
// (storage none) so that only the recording differs. Two argument shapes: a WebSocket-style handler call
// (a class instance with private fields and methods, plus a message object) and a single plain object.
// Prints medians (µs per call) and the added cost; BENCH_JSON_OUT=file also writes them as JSON.
//   node scripts/bench/recording-overhead.mjs [--rounds 7] [--calls 20000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agent, configure, shutdown } from '@fluxloop/sdk';
import { median, numberFlag } from './_experiment.mjs';

const ROUNDS = numberFlag('rounds', 7);
const CALLS = numberFlag('calls', 20_000);

class Socket {
  constructor() {
    this._socket = { fd: 12, readable: true };
    this._receiver = { buffers: [] };
    this.protocol = '';
    this.url = 'ws://127.0.0.1:8765';
  }
  send(data) {
    return data;
  }
  close() {}
}

const handleMessage = agent(async function handle_message(socket, message) {
  socket.send(message.text);
});
const handleRequest = agent(async function handle_request(request) {
  return request.message.length;
});

const socket = new Socket();
const SHAPES = {
  websocket: (i) =>
    handleMessage(socket, { text: `Where is my order A-${1000 + (i % 97)}?`, user: 'u-1', sessionId: 's-1' }),
  object: (i) =>
    handleRequest({ user_id: '123', message: `Hello number ${i}`, history: [{ role: 'user', content: 'hi' }] }),
};

async function round(call) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call(i);
  return Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-bench-rec-'));
const recordingFile = path.join(dir, 'args_recording.jsonl');
const results = {};
try {
  for (const [shape, call] of Object.entries(SHAPES)) {
    const off = [];
    const on = [];
    for (let r = 0; r < ROUNDS; r++) {
      configure({ storage: 'none', recordArgs: false });
      off.push(await round(call));
      configure({ storage: 'none', recordArgs: true, recordingFile });
      on.push(await round(call));
    }
    results[shape] = { offUs: median(off), onUs: median(on) };
  }
  await shutdown();
  const text = fs.readFileSync(recordingFile, 'utf8');
  const lines = text.split('\n').filter(Boolean);
  const expected = ROUNDS * CALLS * Object.keys(SHAPES).length;
  if (lines.length !== expected) throw new Error(`expected ${expected} recording lines, found ${lines.length}`);
  for (const line of lines) JSON.parse(line);
  const bytesPerLine = Buffer.byteLength(text) / lines.length;

  console.log(`Recording overhead (${ROUNDS} rounds × ${CALLS} agent() calls, medians, µs per call)`);
  console.log('shape       recording off  recording on   added   ratio');
  for (const [shape, r] of Object.entries(results)) {
    r.addedUs = r.onUs - r.offUs;
    r.ratio = r.onUs / r.offUs;
    console.log(
      `${shape.padEnd(11)} ${r.offUs.toFixed(2).padStart(13)}  ${r.onUs.toFixed(2).padStart(12)}  ${r.addedUs
        .toFixed(2)
        .padStart(6)}  ${r.ratio.toFixed(2).padStart(6)}`,
    );
  }
  console.log(`${lines.length} lines recorded, all whole JSON; ${bytesPerLine.toFixed(0)} bytes per line on average`);
  if (process.env.BENCH_JSON_OUT) {
    fs.writeFileSync(
      process.env.BENCH_JSON_OUT,
      JSON.stringify({ rounds: ROUNDS, calls: CALLS, results, lines: lines.length, bytesPerLine }, null, 2),
    );
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
