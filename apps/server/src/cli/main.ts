import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { demoCommands } from '../demo/cli.js';
import { modules } from '../modules/index.js';
import { installModules, moduleCommands } from '../modules/install.js';
import type { Command } from './command.js';
import { createCliContext } from './context.js';

installModules(modules);

/**
 * `npm run cli -- <command> [--flags]`: the manage.py of Bastion. The platform's own commands
 * (migrations, demo data across modules) and every module's `commands` from its manifest.
 */
const commands: Record<string, Command> = {
  'db:migrate': {
    description: 'Apply pending database migrations (also done at every start).',
    async run(context) {
      const { url } = await context.database();
      context.logger.info({ database: new URL(url).pathname.slice(1) }, 'migrations applied');
    },
  },
  ...demoCommands,
  ...moduleCommands(modules),
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.description}`,
  );
  return `usage: npm run cli -- <command> [options]\n\ncommands:\n${lines.join('\n')}`;
}

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === 'help' || name === '--help') {
    console.log(help());
    return;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${help()}`);
    process.exitCode = 2;
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options ?? {},
    allowPositionals: true,
  });
  const context = createCliContext();
  try {
    await command.run(context, values, positionals);
  } finally {
    await context.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof Error ? `error: ${error.message}` : error,
  );
  process.exitCode = 1;
});
