#!/usr/bin/env node
// A committed entry point: npm links a workspace's bin only if its target exists at install time, and dist/ is
// built later. It imports the built CLI.
import { main } from '../dist/index.js';

const code = await main(process.argv);
process.exitCode = code;
// Everything FluxLoop started is closed by now; an agent under test may still hold a socket or a timer (a run
// that timed out keeps running in-process). Exit anyway, once stdout and stderr had a moment to drain.
setTimeout(() => process.exit(code), 500).unref();
