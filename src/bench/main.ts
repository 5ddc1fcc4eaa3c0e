#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchResult, Benchmark } from './benchmark.js';
import { btfDedup } from './btf-dedup.js';
import { btfDump } from './btf-dump.js';
import { btfParse } from './btf-parse.js';
import { coreReloc } from './core-reloc.js';
import { floorBench } from './floor.js';
import { linkBench } from './link.js';
import { DEFAULT_VMLINUX, bpftoolVersion, cliPath, corpusDir, findBpftool, machine } from './env.js';
import { formatReport, type Report } from './report.js';

/**
 * `npm run bench`: every registered benchmark, one table.
 *
 * To add a benchmark, write a module exporting a `Benchmark` (see
 * benchmark.ts) and append it here. In-process benchmarks run first, while
 * this process has not yet run any bpfkit code, so their "first run" column
 * is a genuinely cold start.
 */
const BENCHMARKS: readonly Benchmark[] = [btfParse, btfDump, floorBench, coreReloc, linkBench, btfDedup];

const USAGE = `usage: node dist/bench/main.js [options]
  --quick           fewer iterations (a rough number in a fraction of the time)
  --json            print the results as JSON instead of a table
  --only ID[,ID]    run only these benchmarks (${BENCHMARKS.map((b) => b.id).join(', ')})
  --list            list the benchmarks and exit
  --vmlinux PATH    kernel BTF to use (default ${DEFAULT_VMLINUX})
  --bpftool PATH    bpftool to compare against (default: found on PATH or /usr/sbin)
`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        only: { type: 'string' },
        list: { type: 'boolean', default: false },
        vmlinux: { type: 'string', default: DEFAULT_VMLINUX },
        bpftool: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.id}\t${b.title}\n`);
    return 0;
  }
  let selected = BENCHMARKS;
  if (args.only !== undefined) {
    const ids = args.only.split(',').map((s) => s.trim());
    const unknown = ids.filter((id) => !BENCHMARKS.some((b) => b.id === id));
    if (unknown.length > 0) {
      process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
      return 2;
    }
    selected = BENCHMARKS.filter((b) => ids.includes(b.id));
  }

  const tty = process.stderr.isTTY === true;
  let tmp: string | undefined;
  const cleanup = (): void => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  const bpftool = findBpftool(args.bpftool);
  const ctx: BenchContext = {
    quick: args.quick,
    runs: (normal, quick) => (args.quick ? quick : normal),
    // Progress goes to stderr only on a terminal, so redirected or CI output
    // holds just the report.
    progress: tty ? (text) => process.stderr.write(`\r\x1b[K${text}`) : () => {},
    tmpDir: () => (tmp ??= mkdtempSync(join(tmpdir(), 'bpfkit-bench-'))),
    vmlinux: args.vmlinux,
    bpftool,
    cli: cliPath,
    corpusDir,
  };

  const m = machine();
  const results: BenchResult[] = [];
  let failed = false;
  try {
    for (const b of selected) {
      ctx.progress(`${b.id}: starting`);
      try {
        results.push(await b.run(ctx));
      } catch (e) {
        // One broken benchmark must not hide the others' numbers.
        failed = true;
        results.push({ id: b.id, title: b.title, singles: [], pairs: [], skipped: [], warnings: [`failed: ${(e as Error).message}`] });
      }
    }
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    cleanup();
  }
  m.loadEnd = loadavg()[0];

  const report: Report = {
    machine: m,
    bpftool: 'path' in bpftool ? `${bpftool.path} (${bpftoolVersion(bpftool.path)})` : `none (${bpftool.missing})`,
    quick: args.quick,
    results,
  };
  if (args.json) {
    // Microsecond resolution is all a wall clock on a busy machine supports.
    const round = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);
    process.stdout.write(JSON.stringify(report, round, 2) + '\n');
    // Warnings would otherwise sit unnoticed inside the JSON.
    for (const r of results) for (const w of r.warnings) process.stderr.write(`bench: ${r.id}: WARNING: ${w}\n`);
  } else {
    process.stdout.write(formatReport(report));
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
