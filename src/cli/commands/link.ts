import type { Argv } from 'yargs';
import { runLink } from './gen-object.js';

/** `bpfkit link -o OUT IN... [--json]`: an alias of `gen object`. */
export function linkCommand(y: Argv): Argv {
  return y.command(
    'link <in..>',
    'Link relocatable BPF objects into one (alias of gen object)',
    (c) =>
      c
        .positional('in', { type: 'string', array: true, demandOption: true, describe: 'input objects, in link order' })
        .option('o', { alias: 'output', type: 'string', demandOption: true, describe: 'output object (written atomically; must not be an input)' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary of the link' }),
    async (argv) => {
      await runLink(argv.o as string, argv.in as string[], argv.json as boolean);
    },
  );
}
