import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';

/**
 * `bpfkit gen object OUT IN...`: the static linker, as `bpftool gen object`.
 * Register under the `gen` command: `y.command('gen', ..., (g) => genObjectSubcommand(g))`.
 */
export function genObjectSubcommand(y: Argv): Argv {
  return y.command(
    'object <out> <in..>',
    'Link relocatable BPF objects into one (static linking, like bpftool gen object)',
    (c) =>
      c
        .positional('out', { type: 'string', demandOption: true, describe: 'output object (written atomically; must not be an input)' })
        .positional('in', { type: 'string', array: true, demandOption: true, describe: 'input objects, in link order' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary of the link' }),
    async (argv) => {
      await runLink(argv.out as string, argv.in as string[], argv.json as boolean);
    },
  );
}

/** Shared by `gen object` and `link`. */
export async function runLink(out: string, inputs: string[], json: boolean): Promise<void> {
  const { linkFiles } = await import('../../link/linker.js');
  const { summary } = linkFiles(out, inputs);
  if (json) writeStdout(JSON.stringify(summary, null, 2) + '\n');
}
