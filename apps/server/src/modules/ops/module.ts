import { defineModule } from '../manifest.js';
import { opsCommands } from './cli.js';

/** Operations from the terminal: backups, restores, the production settings check. */
export const opsModule = defineModule({ name: 'ops', commands: opsCommands });
