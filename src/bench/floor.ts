import { closeSync, openSync, writeSync } from 'node:fs';
import { resultOnVmlinux, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import { ratio, runAlternating, timeInProcess, type Command, type Stats } from './measure.js';
import { readBytes } from '../internal/files.js';
import { parseBtf } from '../btf/parse.js';
import { dumpRaw } from '../btf/dump/raw.js';
import { dumpC } from '../btf/dump/c/index.js';

/**
 * The floor under the whole-process ratios. Two things are measured:
 *
 * - `node -e 0` (Node starting and exiting, running nothing), interleaved
 *   with bpftool's raw and C dumps of vmlinux: what every Node command
 *   pays before its first line of its own code runs.
 * - The raw and C dumps (read, parse, dump) in this process once V8 has
 *   compiled them (after WARM_UP untimed runs): their steady-state cost,
 *   which a one-shot CLI never reaches (its one dump runs mostly cold).
 *
 * Node's start-up plus the warm work is the best any Node process could do
 * if module loading and cold compilation cost nothing. When that sum is
 * already above bpftool's time, no Node program doing this work can reach
 * 1.0x of bpftool; the note under each row says where the sum stands.
 */
const WARM_UP = 5;

export const floorBench: Benchmark = {
  id: 'floor',
  title: 'the floor: Node start-up alone and warm in-process dumps vs bpftool (vmlinux)',
  run(ctx: BenchContext): BenchResult {
    const { res, present } = resultOnVmlinux(this, ctx);
    if (!present) return res;
    const file = ctx.vmlinux;
    const warm = {
      raw: warmTime(ctx, file, 'raw'),
      c: warmTime(ctx, file, 'c'),
    };
    const tool = 'path' in ctx.bpftool ? startUpBeside(ctx, ctx.bpftool.path, file) : undefined;
    if (tool === undefined && 'missing' in ctx.bpftool) res.skipped.push({ case: 'bpftool comparison', reason: ctx.bpftool.missing });
    if (tool !== undefined) {
      const { node, raw, c } = tool;
      res.pairs.push({ case: 'node -e 0 vs bpftool raw dump > /dev/null', ours: { label: 'node', stats: node }, theirs: { label: 'bpftool', stats: raw }, ratio: ratio(node, raw) });
      res.pairs.push({ case: 'node -e 0 vs bpftool format c > /dev/null', ours: { label: 'node', stats: node }, theirs: { label: 'bpftool', stats: c }, ratio: ratio(node, c) });
    }
    res.singles.push({ case: 'raw dump in-process, warm (read + parse + dump)', stats: warm.raw, note: tool && floorNote(tool.node, warm.raw, tool.raw, 'raw dump') });
    res.singles.push({ case: 'format c dump in-process, warm (read + parse + dump)', stats: warm.c, note: tool && floorNote(tool.node, warm.c, tool.c, 'format c') });
    return res;
  },
};

/** `node -e 0` interleaved with bpftool's raw and C dumps of `file`. */
function startUpBeside(ctx: BenchContext, bpftool: string, file: string): { node: Stats; raw: Stats; c: Stats } {
  const cmds: Command[] = [
    { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
    { label: 'bpftool raw', file: bpftool, args: ['btf', 'dump', 'file', file] },
    { label: 'bpftool c', file: bpftool, args: ['btf', 'dump', 'file', file, 'format', 'c'] },
  ];
  const [node, raw, c] = runAlternating(cmds, {
    runs: ctx.runs(15, 5),
    stdout: () => ({ kind: 'null' }),
    progress: (i, n) => ctx.progress(`floor: ${i}/${n}`),
  });
  return { node, raw, c };
}

/** Read, parse and dump `file` in this process, timed after WARM_UP runs. */
function warmTime(ctx: BenchContext, file: string, format: 'raw' | 'c'): Stats {
  const devNull = openSync('/dev/null', 'w');
  try {
    const once = (): void => {
      const btf = parseBtf(readBytes(file), { file });
      if (format === 'raw') writeSync(devNull, dumpRaw(btf));
      else dumpC(btf, { sink: (chunk) => writeSync(devNull, chunk) });
    };
    for (let i = 0; i < WARM_UP; i++) once();
    return timeInProcess(ctx.runs(10, 3), () => undefined, once, (i, n) => ctx.progress(`floor: warm ${format} ${i}/${n}`));
  } finally {
    closeSync(devNull);
  }
}

function floorNote(node: Stats, work: Stats, theirs: Stats, what: string): string {
  const sum = node.median + work.median;
  return (
    `Node start-up ${node.median.toFixed(0)} ms + warm ${what} ${work.median.toFixed(0)} ms = ${sum.toFixed(0)} ms, ` +
    `${(sum / theirs.median).toFixed(2)}x bpftool's ${theirs.median.toFixed(0)} ms (medians): ` +
    (sum > theirs.median ? 'above 1.0x even with no module loading and a fully compiled dump' : 'below 1.0x: the gap is module loading and cold compilation')
  );
}
