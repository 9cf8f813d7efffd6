import type { Logger } from 'pino';

/** A repeat within this long is the echo of the first signal, not a second request. */
const ECHO_MS = 1000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Calls `stop` on the first SIGINT or SIGTERM. A Ctrl-C under `npm start` reaches node twice:
 * from the terminal, which signals its whole foreground process group, and again a moment later
 * from npm, which forwards what it receives to its script. close-with-grace would take that echo
 * for an impatient second Ctrl-C and exit at once, without draining; here a repeat within a
 * second is ignored, and only a later one (someone insisting) exits without waiting.
 */
export function onStopSignal(logger: Logger, stop: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      stop(signal);
    } else if (Date.now() - firstAt >= ECHO_MS) {
      logger.warn({ signal }, 'signalled again: exiting without finishing the shutdown');
      logger.flush();
      process.exit(1);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handle);
}

/** For close-with-grace's `skip`: these signals are onStopSignal's. */
export const stopSignals: (typeof STOP_SIGNALS)[number][] = [...STOP_SIGNALS];
