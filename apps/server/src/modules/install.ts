import type { UserRole } from '@bastion/contract';
import { registerAdminResources } from '../admin/registry.js';
import type { Command } from '../cli/command.js';
import {
  allQueues,
  findJob,
  registerJobs,
  registerQueues,
  registerSchedules,
} from './jobs/registry.js';
import type { ModuleManifest } from './manifest.js';

/**
 * Makes the modules' jobs, schedules and queues known to this process. Every role calls it (the
 * app, the job runtime, the CLI), so a worker knows every job type the API may enqueue.
 * Idempotent; throws on a manifest mistake (a duplicate module, a job on an undeclared queue, a
 * schedule of an unknown job), so it shows at the first start, not at the first job.
 */
export function installModules(list: readonly ModuleManifest[]): void {
  const names = new Set<string>();
  for (const manifest of list) {
    if (names.has(manifest.name)) throw new Error(`module "${manifest.name}" is listed twice`);
    names.add(manifest.name);
  }
  registerQueues(list.flatMap((manifest) => manifest.queues ?? []));
  registerJobs(list.flatMap((manifest) => manifest.jobs ?? []));
  registerSchedules(list.flatMap((manifest) => manifest.schedules ?? []));
  registerAdminResources(list);

  const queues = new Set(allQueues().map((queue) => queue.name));
  for (const manifest of list) {
    for (const job of manifest.jobs ?? []) {
      if (!queues.has(job.queue)) {
        throw new Error(
          `job "${job.name}" (${manifest.name}) runs on undeclared queue "${job.queue}"`,
        );
      }
    }
    for (const schedule of manifest.schedules ?? []) {
      if (!findJob(schedule.job)) {
        throw new Error(
          `schedule "${schedule.name}" (${manifest.name}) names unknown job "${schedule.job}"`,
        );
      }
    }
  }
}

/** Every API scope the modules' routes accept, with the least role that may grant it. */
export function moduleScopes(list: readonly ModuleManifest[]): Record<string, UserRole> {
  return Object.assign({}, ...list.map((manifest) => manifest.scopes ?? {})) as Record<
    string,
    UserRole
  >;
}

/** The CLI commands of every module; two modules may not claim one name. */
export function moduleCommands(list: readonly ModuleManifest[]): Record<string, Command> {
  const commands: Record<string, Command> = {};
  for (const manifest of list) {
    for (const [name, command] of Object.entries(manifest.commands ?? {})) {
      if (commands[name]) throw new Error(`CLI command "${name}" is defined twice`);
      commands[name] = command;
    }
  }
  return commands;
}
