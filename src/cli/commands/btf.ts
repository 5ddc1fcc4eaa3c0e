import type { Argv } from 'yargs';
import { dumpC, dumpJson, dumpRaw, dumpTs, loadBtf, type Btf } from '../../btf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import { writeStdout } from '../output.js';

interface DumpArgs {
  file: string;
  format: 'raw' | 'json' | 'c' | 'ts';
  json: boolean;
  base?: string;
  'root-id'?: number[];
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
            // bpftool 7.1, the reference, always prints C in type id order;
            // the flag names that order explicitly (newer bpftool sorts by default).
            .option('unsorted', { type: 'boolean', default: true, describe: 'with --format c: types in id order, as bpftool 7.1 prints them (the default)' }),
        (argv) => runDump(argv as unknown as DumpArgs),
      )
      .demandCommand(1, 'name a btf subcommand'),
  );
}

function runDump(a: DumpArgs): void {
  const basePath = a.base ?? defaultBase(a.file);
  const base: Btf | undefined = basePath !== undefined ? loadBtf(basePath) : undefined;
  const btf = loadBtf(a.file, { base });
  const opts = { rootIds: a['root-id'] };
  if (a.json && (a.format === 'c' || a.format === 'ts')) {
    throw new BpfkitError('UNSUPPORTED', `--json and --format ${a.format} do not go together (bpftool refuses JSON for C too)`);
  }
  if (a.format === 'ts') {
    writeStdout(dumpTs(btf, { rootIds: opts.rootIds, source: a.file }));
    return;
  }
  const dump = a.format === 'c' ? dumpC : a.json || a.format === 'json' ? dumpJson : dumpRaw;
  writeStdout(dump(btf, opts));
}
