import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** Placeholder: registered by main(); the command is built in its own change. */
export function registerDoctor(_program: Command, _ctx: CommandContext): void {}
