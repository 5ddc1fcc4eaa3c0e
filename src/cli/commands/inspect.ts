import type { Argv } from 'yargs';
import { formatInspect, openObjectFile, summarize } from '../../object/index.js';
import { writeStdout } from '../output.js';

export function inspectCommand(y: Argv): Argv {
  return y.command(
    'inspect <obj>',
    'Show the programs, maps, global data, externs and relocations of a BPF object',
    (c) =>
      c
        .positional('obj', { type: 'string', demandOption: true, describe: 'BPF ELF object (.bpf.o)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the bpfkit.inspect/1 JSON document' }),
    (argv) => {
      const summary = summarize(openObjectFile(argv.obj as string));
      writeStdout(argv.json ? JSON.stringify(summary, null, 2) + '\n' : formatInspect(summary));
    },
  );
}
