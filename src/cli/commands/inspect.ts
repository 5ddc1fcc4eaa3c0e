import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';

export function inspectCommand(y: Argv): Argv {
  return y.command(
    'inspect <obj>',
    'Show the programs, maps, global data, externs and relocations of a BPF object',
    (c) =>
      c
        .positional('obj', { type: 'string', demandOption: true, describe: 'BPF ELF object (.bpf.o)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the bpfkit.inspect/1 JSON document' }),
    async (argv) => {
      // Imported on use: see runDump in btf.ts.
      const { openObjectFile } = await import('../../object/open.js');
      const { formatInspect, summarize } = await import('../../object/summary.js');
      const summary = summarize(openObjectFile(argv.obj as string));
      writeStdout(argv.json ? JSON.stringify(summary, null, 2) + '\n' : formatInspect(summary));
    },
  );
}
