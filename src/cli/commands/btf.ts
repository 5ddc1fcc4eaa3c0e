import type { Argv } from 'yargs';
import type { Btf } from '../../btf/btf.js';
import { BpfkitError } from '../../internal/errors.js';
import { writeAll, writeStdout } from '../output.js';

interface DumpArgs {
  file: string;
  format: 'raw' | 'json' | 'c' | 'ts';
  json: boolean;
  base?: string;
  'root-id'?: number[];
  sort?: boolean;
  unsorted?: boolean;
  kfuncs?: boolean;
}

/** bpftool reads a module's BTF from /sys/kernel/btf/<module> on top of
 * vmlinux without being told; do the same. */
function defaultBase(file: string): string | undefined {
  const prefix = '/sys/kernel/btf/';
  return file.startsWith(prefix) && file !== '/sys/kernel/btf/vmlinux' ? '/sys/kernel/btf/vmlinux' : undefined;
}

export function btfCommand(y: Argv): Argv {
  return y.command('btf', 'BTF tools', (b) =>
    b
      .command(
        'dump <file>',
        'Print the BTF of an object file or raw BTF blob (like `bpftool btf dump file`)',
        (c) =>
          c
            .positional('file', { type: 'string', demandOption: true, describe: 'ELF object, raw BTF, or .btf.gz' })
            .option('format', {
              alias: 'f',
              choices: ['raw', 'json', 'c', 'ts'] as const,
              default: 'raw' as const,
              describe: 'raw: bpftool text; json: bpftool -j; c: a C header (vmlinux.h); ts: TypeScript types and codecs',
            })
            .option('json', { type: 'boolean', default: false, describe: 'same as --format json' })
            .option('base', { type: 'string', describe: 'base BTF for split BTF (module BTF)' })
            .option('root-id', { type: 'number', array: true, describe: 'dump only these type ids (with --format c: and what they need)' })
            // bpftool 7.1, the reference, prints C in type id order and
            // knows no kfuncs; newer bpftool (7.5+) sorts by default and
            // appends kfunc prototypes. The default here is 7.1's output,
            // byte for byte; --sort and --kfuncs give the newer one.
            .option('unsorted', { type: 'boolean', describe: 'with --format c: types in id order, as bpftool 7.1 prints them (the default)' })
            .option('sort', { type: 'boolean', describe: "with --format c: newer bpftool's stable order (kind rank, then name) instead of id order" })
            .option('kfuncs', { type: 'boolean', describe: 'with --format c: __ksym/__weak/__bpf_fastcall definitions and an extern prototype per bpf_kfunc-tagged function (newer bpftool)' })
            .conflicts('sort', 'unsorted'),
        (argv) => runDump(argv as unknown as DumpArgs),
      )
      .demandCommand(1, 'name a btf subcommand'),
  );
}

/**
 * Library modules are imported when a command runs, not when the CLI
 * starts: loading every module costs about 100 ms, and `btf dump` is timed
 * against bpftool as a whole process.
 */
export async function runDump(a: DumpArgs): Promise<void> {
  if (a.json && (a.format === 'c' || a.format === 'ts')) {
    throw new BpfkitError('UNSUPPORTED', `--json and --format ${a.format} do not go together (bpftool refuses JSON for C too)`);
  }
  const basePath = a.base ?? defaultBase(a.file);
  const base: Btf | undefined = basePath !== undefined ? await loadForDump(basePath) : undefined;
  const btf = await loadForDump(a.file, base);
  const opts = { rootIds: a['root-id'], sort: a.sort === true, kfuncs: a.kfuncs === true };
  if ((opts.sort || opts.kfuncs) && a.format !== 'c') {
    throw new BpfkitError('UNSUPPORTED', '--sort and --kfuncs apply to --format c only');
  }
  if (a.format === 'ts') {
    const { dumpTs } = await import('../../btf/dump/ts/index.js');
    // Streamed like the C header: an 11 MB module is never held whole.
    dumpTs(btf, { rootIds: opts.rootIds, source: a.file, sink: (chunk) => writeAll(1, chunk) });
  } else if (a.format === 'c') {
    const { dumpC } = await import('../../btf/dump/c/index.js');
    // Streamed: a vmlinux.h is never held whole (and, as with bpftool,
    // what was printed stays printed if a type fails later).
    dumpC(btf, { ...opts, sink: (chunk) => writeAll(1, chunk) });
  } else if (a.json || a.format === 'json') {
    const { dumpJson } = await import('../../btf/dump/json.js');
    writeStdout(dumpJson(btf, opts));
  } else {
    const { dumpRaw } = await import('../../btf/dump/raw.js');
    writeStdout(dumpRaw(btf, opts));
  }
}

/**
 * What loadBtf(file, { base }) returns. Raw BTF (what /sys/kernel/btf/*
 * holds) is parsed without loading load.js, whose ELF, gzip and LZ4 readers
 * a kernel BTF dump never needs: fewer modules, a faster start.
 */
async function loadForDump(file: string, base?: Btf): Promise<Btf> {
  const { readBytes } = await import('../../internal/files.js');
  const bytes = readBytes(file);
  if (bytes.byteLength >= 2 && ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f))) {
    const { parseBtf } = await import('../../btf/parse.js');
    return parseBtf(bytes, { base, file });
  }
  const { btfFromBytes } = await import('../../btf/load.js');
  return btfFromBytes(bytes, { base, file });
}

/**
 * The arguments of the common `btf dump FILE [--format F | -f F | --json]`
 * read without yargs, or undefined for anything else (which then goes
 * through yargs, with its help, validation and messages). `btf dump` is
 * timed against bpftool as a whole process, and loading and running yargs
 * costs about 25 ms of a run that should take about 100.
 */
export function fastDumpArgs(argv: readonly string[]): DumpArgs | undefined {
  if (argv.length < 3 || argv[0] !== 'btf' || argv[1] !== 'dump') return undefined;
  const a: DumpArgs = { file: '', format: 'raw', json: false };
  let haveFile = false;
  let haveFormat = false;
  for (let i = 2; i < argv.length; i++) {
    const s = argv[i];
    let value: string | undefined;
    if (s === '--json') {
      if (a.json) return undefined;
      a.json = true;
      continue;
    }
    if (s === '--format' || s === '-f') value = argv[++i];
    else if (s.startsWith('--format=')) value = s.slice('--format='.length);
    else if (s.length > 0 && !s.startsWith('-') && !haveFile) {
      a.file = s;
      haveFile = true;
      continue;
    } else return undefined;
    if (haveFormat || (value !== 'raw' && value !== 'json' && value !== 'c' && value !== 'ts')) return undefined;
    a.format = value;
    haveFormat = true;
  }
  return haveFile ? a : undefined;
}
