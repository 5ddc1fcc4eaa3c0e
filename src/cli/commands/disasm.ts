import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';

export function disasmCommand(y: Argv): Argv {
  return y.command(
    'disasm <obj>',
    'Disassemble the programs of a BPF object (llvm-objdump syntax)',
    (c) =>
      c
        .positional('obj', { type: 'string', demandOption: true, describe: 'BPF ELF object (.bpf.o)' })
        .option('prog', { type: 'string', describe: 'only this program (and the sub-programs it calls)' })
        .option('json', { type: 'boolean', default: false, describe: 'print instructions as JSON' }),
    async (argv) => {
      const { openObjectFile } = await import('../../object/open.js');
      const { disassembleObject, formatDisasm } = await import('../../object/disasm.js');
      const listing = disassembleObject(openObjectFile(argv.obj as string), { prog: argv.prog as string | undefined });
      writeStdout(argv.json ? JSON.stringify(listing, null, 2) + '\n' : formatDisasm(listing));
    },
  );
}
