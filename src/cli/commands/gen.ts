import type { Argv } from 'yargs';
import { genMinCoreBtfSubcommand } from './gen-min-core-btf.js';
import { genObjectSubcommand } from './gen-object.js';

/** `bpfkit gen …`: the generators bpftool keeps under `gen`. */
export function genCommand(y: Argv): Argv {
  return y.command('gen', 'Generate objects and BTF: object (static link), min_core_btf (BTFGen)', (g) =>
    genMinCoreBtfSubcommand(genObjectSubcommand(g)).demandCommand(1, 'name what to generate: object or min_core_btf'),
  );
}
