import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';

/** One `npm run cli -- <name>` command; modules list theirs in their manifest's `commands`. */
export interface Command {
  description: string;
  usage?: string;
  options?: ParseArgsConfig['options'];
  run(context: CliContext, values: Record<string, unknown>, positionals: string[]): Promise<void>;
}
