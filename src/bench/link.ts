import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyResult, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import { ratio, runAlternating, runOnce, summarize, type Command, type Stats } from './measure.js';

const OBJECTS = 50;
const CLANG = process.env.CLANG ?? 'clang-19';

/**
 * Static linking: 50 objects that carry kernel-header BTF (one CO-RE
 * program compiled 50 times against a vmlinux.h generated from the running
 * kernel, each copy with its own symbol prefix so nothing clashes), linked
 * by `bpfkit link` and by `bpftool gen object`, whole process. Most of the
 * time goes to merging and deduplicating the 50 copies of the kernel types.
 */
export const linkBench: Benchmark = {
  id: 'link',
  title: `link ${OBJECTS} objects with kernel-header BTF: bpfkit vs bpftool gen object (whole process)`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const res = emptyResult(this);
    if (!('path' in ctx.bpftool)) {
      res.skipped.push({ case: 'all', reason: `bpftool is needed to generate vmlinux.h: ${ctx.bpftool.missing}` });
      return res;
    }
    if (!existsSync(ctx.vmlinux)) {
      res.skipped.push({ case: 'all', reason: `${ctx.vmlinux} is absent` });
      return res;
    }
    if (spawnSync(CLANG, ['--version']).status !== 0) {
      res.skipped.push({ case: 'all', reason: `${CLANG} is not installed` });
      return res;
    }
    const bpftool = ctx.bpftool.path;
    const dir = ctx.tmpDir();
    ctx.progress('link: generating vmlinux.h');
    const header = spawnSync(bpftool, ['btf', 'dump', 'file', ctx.vmlinux, 'format', 'c'], { maxBuffer: 1 << 30 });
    if (header.status !== 0) {
      res.skipped.push({ case: 'all', reason: `bpftool btf dump format c failed: ${header.stderr.toString().slice(0, 200)}` });
      return res;
    }
    writeFileSync(join(dir, 'vmlinux.h'), header.stdout);
    writeFileSync(join(dir, 'prog.bpf.c'), PROGRAM);
    const inputs = await compileAll(dir, (done) => ctx.progress(`link: compiling ${done}/${OBJECTS}`));
    res.input = `${OBJECTS} objects of ${join(dir, 'prog.bpf.c')} with vmlinux.h`;

    const cmds: Command[] = [
      { label: 'bpfkit', file: process.execPath, args: bpfkitLinkArgs(ctx.cli, join(dir, 'out.bpfkit.o'), inputs) },
      { label: 'bpftool', file: bpftool, args: ['gen', 'object', join(dir, 'out.bpftool.o'), ...inputs] },
      // The floor: Node starting and exiting with nothing to do.
      { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
    ];
    for (const c of cmds) runOnce(c, { kind: 'null' });
    const stats = runAlternating(cmds, {
      runs: ctx.runs(7, 3),
      stdout: () => ({ kind: 'null' }),
      progress: (i, n) => ctx.progress(`link: ${i}/${n}`),
    });
    res.pairs.push({
      case: `link ${OBJECTS} objects`,
      ours: { label: 'bpfkit', stats: stats[0] },
      theirs: { label: 'bpftool', stats: stats[1] },
      ratio: ratio(stats[0], stats[1]),
    });
    res.pairs.push({
      case: 'node -e 0 (Node alone) vs the same bpftool runs',
      ours: { label: 'node', stats: stats[2] },
      theirs: { label: 'bpftool', stats: stats[1] },
      ratio: ratio(stats[2], stats[1]),
    });
    addPhases(res, inputs, join(dir, 'out.phases.o'), ctx);
    return res;
  },
};

/**
 * Where the time of one link goes, measured in fresh Node processes (so the
 * first link is as cold as the CLI's): loading the linker's modules, adding
 * the inputs (read, check, merge symbols and BTF), finalizing (dedup,
 * string tables, ELF) and writing. The link is then repeated in the same
 * process: `first` is the cold link, the median the warm one.
 */
function addPhases(res: BenchResult, inputs: string[], out: string, ctx: BenchContext): void {
  const lib = fileURLToPath(new URL('../link/linker.js', import.meta.url));
  const script = `
    const t0 = performance.now();
    const { Linker } = await import(${JSON.stringify(lib)});
    const t1 = performance.now();
    const [out, ...inputs] = process.argv.slice(1);
    const runs = [];
    for (let i = 0; i < ${WARM_LINKS}; i++) {
      const a = performance.now();
      const l = new Linker({ output: out });
      for (const f of inputs) l.addFile(f);
      const b = performance.now();
      l.finalize();
      const c = performance.now();
      l.writeTo(out);
      runs.push({ add: b - a, finalize: c - b, write: performance.now() - c });
    }
    process.stdout.write(JSON.stringify({ load: t1 - t0, runs }));`;
  const samples: { load: number; runs: { add: number; finalize: number; write: number }[] }[] = [];
  const n = ctx.runs(5, 2);
  for (let i = 0; i < n; i++) {
    ctx.progress(`link: phases ${i + 1}/${n}`);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, out, ...inputs], { maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      res.warnings.push(`link phase probe failed: ${r.stderr.toString().slice(0, 300)}`);
      return;
    }
    samples.push(JSON.parse(r.stdout.toString()) as (typeof samples)[number]);
  }
  const cold = (pick: (x: (typeof samples)[number]) => number): Stats => summarize(samples.map(pick));
  res.singles.push({ case: 'fresh process: import the linker', stats: cold((x) => x.load) });
  for (const phase of ['add', 'finalize', 'write'] as const) {
    // Per process: the cold link first, then the warm ones.
    const stats = summarize(samples.flatMap((x) => x.runs.slice(1).map((r) => r[phase])));
    stats.first = cold((x) => x.runs[0][phase]).median;
    res.singles.push({ case: `${phase} (cold = first, warm = median)`, stats });
  }
  res.singles.push({
    case: 'cold link in-process (add + finalize + write)',
    stats: cold((x) => x.runs[0].add + x.runs[0].finalize + x.runs[0].write),
    note: 'median of the first link of each fresh process: the CLI run minus Node start-up, module loading and argument parsing',
  });
}

const WARM_LINKS = 4;

/** `bpfkit link -o OUT IN...` when the CLI has the command, else the same
 * library call in a fresh Node process (what the command's handler runs). */
function bpfkitLinkArgs(cli: string, out: string, inputs: string[]): string[] {
  const help = spawnSync(process.execPath, [cli, 'link', '--help']);
  if (help.status === 0) return [cli, 'link', '-o', out, ...inputs];
  const lib = fileURLToPath(new URL('../link/linker.js', import.meta.url));
  const script = `import(${JSON.stringify(lib)}).then((m) => m.linkFiles(process.argv[1], process.argv.slice(2)))`;
  return ['-e', script, out, ...inputs];
}

async function compileAll(dir: string, progress: (done: number) => void): Promise<string[]> {
  const outs = Array.from({ length: OBJECTS }, (_, i) => join(dir, `prog${i}.o`));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < OBJECTS) {
      const i = next++;
      const args = ['-g', '-O2', '-target', 'bpfel', '-I', dir, `-DP=p${i}_`, '-c', join(dir, 'prog.bpf.c'), '-o', outs[i]];
      await new Promise<void>((resolve, reject) => {
        const p = spawn(CLANG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${CLANG} failed: ${err.slice(0, 500)}`))));
      });
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, worker));
  return outs;
}

/** One CO-RE program; P prefixes every global so 50 copies link together. */
const PROGRAM = `
#include "vmlinux.h"
#define SEC(n) __attribute__((section(n), used))
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define N(x) CAT(P, x)
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *src) = (void *)113;
static __u64 (*bpf_get_current_task)(void) = (void *)35;
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;

struct {
	int (*type)[BPF_MAP_TYPE_HASH];
	int (*max_entries)[1024];
	__u32 *key;
	struct task_struct *value;
} N(tasks) SEC(".maps");

__attribute__((noinline)) int N(parent_pid)(void)
{
	struct task_struct *t = (void *)bpf_get_current_task(), *parent = 0;
	int pid = 0;
	bpf_probe_read_kernel(&parent, sizeof(parent), __builtin_preserve_access_index(&t->real_parent));
	bpf_probe_read_kernel(&pid, sizeof(pid), __builtin_preserve_access_index(&parent->tgid));
	return pid;
}

SEC("kprobe/do_nanosleep")
int N(prog)(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct mm_struct *mm = 0;
	__u32 key = 0;
	bpf_probe_read_kernel(&mm, sizeof(mm), __builtin_preserve_access_index(&t->mm));
	if (bpf_map_lookup_elem(&N(tasks), &key))
		return 1;
	return N(parent_pid)() + (mm != 0);
}

char LICENSE[] SEC("license") = "GPL";
`;
