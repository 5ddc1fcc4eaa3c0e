/**
 * `node dist/fuzz/main.js [--cases N] [--seed S] [--start I] [--dump-every K]`
 * `node dist/fuzz/main.js --seed S --case I [--write FILE]`
 *
 * Runs the fuzz harness and prints the tally; exits 1 when any case broke
 * the error contract (see targets.ts), 2 on bad arguments. With --case it
 * rebuilds one case, runs it in full and prints every stage's outcome with
 * stacks; --write saves the mutated input so it can be replayed elsewhere
 * (e.g. `bpfkit btf dump file FILE`). The C and TS dump stages run on one
 * case in 8 (targets.ts, DUMP_EVERY); --dump-every 1 runs them on every
 * case, and a replayed case always runs them.
 *
 * A development script, so plain argv parsing rather than the CLI's yargs.
 */
import { writeFileSync } from 'node:fs';
import { defaultSubjects, formatTally, planCase, runCase, runFuzz } from './run.js';
import { isBug, setDumpEvery } from './targets.js';

interface Args {
  cases: number;
  seed: number;
  start: number;
  case?: number;
  write?: string;
  hangMs?: number;
  dumpEvery?: number;
}

const USAGE = 'usage: node dist/fuzz/main.js [--cases N] [--seed S] [--start I] [--hang-ms MS] [--dump-every K] | --seed S --case I [--write FILE]';

function parseInteger(flag: string, v: string | undefined): number {
  const n = v === undefined ? NaN : Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function parseArgs(argv: readonly string[]): Args {
  // A time-based default seed: each plain run explores new cases, and the
  // seed is printed so any finding reproduces.
  const args: Args = { cases: 10_000, seed: (Date.now() ^ (process.pid << 16)) >>> 0, start: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--cases':
        args.cases = parseInteger(flag, value());
        break;
      case '--seed':
        args.seed = parseInteger(flag, value()) >>> 0;
        break;
      case '--start':
        args.start = parseInteger(flag, value());
        break;
      case '--case':
        args.case = parseInteger(flag, value());
        break;
      case '--write':
        args.write = value();
        break;
      case '--hang-ms':
        args.hangMs = parseInteger(flag, value());
        break;
      case '--dump-every':
        args.dumpEvery = parseInteger(flag, value());
        if (args.dumpEvery === 0) throw new Error('--dump-every needs a positive integer');
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return args;
}

function replay(args: Args, index: number): number {
  const subjects = defaultSubjects();
  const plan = planCase(subjects, args.seed, index);
  const out = process.stdout;
  out.write(`case #${index} of seed ${args.seed}: ${plan.subject.name} (${plan.subject.kind}), mutators ${plan.mutators.join('+')}\n`);
  out.write(`input: ${plan.bytes.byteLength} bytes (original ${plan.subject.bytes.byteLength})${plan.embedded > 0 ? `, at offset ${plan.embedded} of its buffer` : ''}\n`);
  if (plan.subject.base !== undefined) out.write('split BTF: parsed on top of btf_testmod.btf.base\n');
  if (args.write !== undefined) {
    writeFileSync(args.write, plan.bytes);
    out.write(`wrote the mutated input to ${args.write}\n`);
  }
  // No time limit here: seeing how long a "hang" really takes is the point.
  const r = runCase(subjects, args.seed, index);
  for (const s of r.stages) {
    const ms = s.ms !== undefined ? ` ${s.ms.toFixed(1)} ms` : '';
    out.write(`  ${s.target.padEnd(16)} ${s.outcome}${ms}${s.note !== undefined ? ` (${s.note})` : ''}\n`);
    if (s.outcome !== 'ok' && s.error !== undefined) {
      const e = s.error;
      const text = e instanceof Error ? (s.outcome === 'OTHER' || s.note !== undefined ? e.stack ?? e.message : e.message) : String(e);
      out.write(text.split('\n').map((l) => `      ${l}`).join('\n') + '\n');
    }
  }
  const slow = r.ms > (args.hangMs ?? 2000) ? ' (over the hang limit: HANG in a fuzz run)' : '';
  out.write(`overall: ${r.outcome}, ${r.ms.toFixed(2)} ms${slow}\n`);
  return isBug(r.outcome) || r.ms > (args.hangMs ?? 2000) ? 1 : 0;
}

function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.case !== undefined) {
    // A replay runs every stage, the dumps too.
    setDumpEvery(1);
    return replay(args, args.case);
  }
  if (args.dumpEvery !== undefined) setDumpEvery(args.dumpEvery);

  // Progress only for a person watching: one line rewritten in place.
  const tty = process.stderr.isTTY === true;
  const tally = runFuzz({
    cases: args.cases,
    seed: args.seed,
    start: args.start,
    hangMs: args.hangMs,
    onProgress: tty
      ? (p) => {
          const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
          const pctDone = ((p.done / p.cases) * 100).toFixed(1);
          const eta = rate > 0 ? Math.round((p.cases - p.done) / rate) : 0;
          process.stderr.write(`\r\x1b[K${p.done}/${p.cases} (${pctDone}%) ${rate.toFixed(0)} cases/s, eta ${eta} s, ${p.bugs} bugs`);
        }
      : undefined,
  });
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(formatTally(tally) + '\n');
  return tally.bugs > 0 ? 1 : 0;
}

// `... --case N | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = main(process.argv.slice(2));
