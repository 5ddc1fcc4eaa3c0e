/**
 * The hang watchdog: runs a function under V8's script timeout so that a
 * synchronous loop that never returns can be interrupted (see run.ts for
 * how the fuzz loop uses it). Kept apart because it is the one piece that
 * depends on node:vm and on what an interruption skips.
 */
import vm from 'node:vm';

// One context and script for the whole process: the script only calls back
// into a function of ours, the context exists to carry the timeout.
const guardContext = vm.createContext({ job: undefined as (() => void) | undefined });
const guardScript = new vm.Script('job()', { filename: 'bpfkit-fuzz-guard' });

/** Run `fn`; false when it was interrupted for running past `timeoutMs`. */
export function guarded(fn: () => void, timeoutMs: number): boolean {
  guardContext.job = fn;
  // An interrupted stage skips its finally blocks, and one of them restores
  // Error.stackTraceLimit (targets.ts, sizes): restore it here instead.
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    guardScript.runInContext(guardContext, { timeout: timeoutMs });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw e;
  } finally {
    guardContext.job = undefined;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
