import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ratio, Stats } from './measure.js';

/**
 * What a benchmark module provides and returns. main.ts holds the list of
 * modules; a later benchmark (C header generation, CO-RE relocation, linking)
 * is one new file exporting a `Benchmark` plus one line in that list.
 */
export interface Benchmark {
  /** Short id used by `--only`. */
  id: string;
  title: string;
  run(ctx: BenchContext): BenchResult | Promise<BenchResult>;
}

export interface BenchContext {
  quick: boolean;
  /** Iteration count: `normal`, or `quick` under --quick. */
  runs(normal: number, quick: number): number;
  /** A progress line on stderr; silent unless stderr is a terminal. */
  progress(text: string): void;
  /** A private temporary directory, removed when the run ends. */
  tmpDir(): string;
  /** The running kernel's BTF (overridable with --vmlinux). */
  vmlinux: string;
  /** bpftool to compare against, or why there is none. */
  bpftool: { path: string } | { missing: string };
  /** Absolute path of the compiled CLI (dist/cli/main.js). */
  cli: string;
  /** ../shared/corpus beside the repository. */
  corpusDir: string;
}

/** One timed subject with no counterpart (in-process timings). */
export interface SingleRow {
  case: string;
  stats: Stats;
  note?: string;
}

/** bpfkit and a reference tool timed in the same interleaved run. */
export interface PairRow {
  case: string;
  ours: { label: string; stats: Stats };
  theirs: { label: string; stats: Stats };
  /** ours / theirs. */
  ratio: Ratio;
}

export interface Skipped {
  case: string;
  reason: string;
}

export interface BenchResult {
  id: string;
  title: string;
  /** What was measured on (file, size, type count). */
  input?: string;
  singles: SingleRow[];
  pairs: PairRow[];
  skipped: Skipped[];
  /** Things a reader must not miss, such as outputs that differ. */
  warnings: string[];
}

export function emptyResult(b: Pick<Benchmark, 'id' | 'title'>): BenchResult {
  return { id: b.id, title: b.title, singles: [], pairs: [], skipped: [], warnings: [] };
}

/**
 * A result for a benchmark that dumps the kernel's BTF: its input is
 * ctx.vmlinux, or, when that file is absent, it records why everything was
 * skipped (`present` false: return `res` as it is).
 */
export function resultOnVmlinux(b: Pick<Benchmark, 'id' | 'title'>, ctx: BenchContext): { res: BenchResult; present: boolean } {
  const res = emptyResult(b);
  if (!existsSync(ctx.vmlinux)) {
    res.skipped.push({ case: 'all', reason: `${ctx.vmlinux} is absent (the kernel exposes no BTF here)` });
    return { res, present: false };
  }
  res.input = ctx.vmlinux;
  return { res, present: true };
}

/**
 * The kernel's BTF for the in-process benchmarks: ctx.vmlinux, or the
 * corpus copy (decompressed in memory) when the running kernel exposes no
 * BTF (containers, CI); `missing` says why there is neither.
 */
export function kernelBtfBytes(ctx: BenchContext): { name: string; bytes: Uint8Array } | { missing: string } {
  if (existsSync(ctx.vmlinux)) return { name: ctx.vmlinux, bytes: readFileSync(ctx.vmlinux) };
  const gz = join(ctx.corpusDir, 'cilium-ebpf', 'btf', 'testdata', 'vmlinux.btf.gz');
  if (!existsSync(gz)) return { missing: `${ctx.vmlinux} is absent and so is the corpus copy ${gz}` };
  return { name: `${gz} (${ctx.vmlinux} is absent)`, bytes: gunzipSync(readFileSync(gz)) };
}
