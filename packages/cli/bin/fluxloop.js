#!/usr/bin/env node
// A committed entry point: npm links a workspace's bin only if its target exists at install time, and dist/ is
// built later. It imports the built CLI.
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv);
