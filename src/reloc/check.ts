import type { Btf } from '../btf/index.js';
import type { BpfObject } from '../object/index.js';
import { analyzeReachability } from './reach.js';
import { relocateObject } from './relocate.js';
import { coreReport, type CoreReportEntry } from './report.js';

/**
 * What `bpfkit core` reports for one object and one target: every
 * relocation resolved (errors collected, not thrown), and each poisoned
 * instruction marked reachable or not in the relocated code.
 */
export function checkCore(obj: BpfObject, target: Btf): CoreReportEntry[] {
  const { results, insnsBySection } = relocateObject(obj, target, { onError: 'collect' });
  return coreReport(results, analyzeReachability(obj, insnsBySection));
}
