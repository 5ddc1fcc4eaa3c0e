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

export interface LinkArgs {
  out: string;
  inputs: string[];
  json: boolean;
}

/**
 * The arguments of a plain `gen object OUT IN...` or `link -o OUT IN...`
 * (with `--json` anywhere), read without yargs; undefined for anything
 * else, which then goes through yargs with its help and messages. Loading
 * and running yargs costs about 40 ms, more than bpftool's whole link of
 * small inputs.
 */
export function fastLinkArgs(argv: readonly string[]): LinkArgs | undefined {
  // `link` names its output with -o; `gen object` takes it first.
  const named = argv[0] === 'link';
  if (!named && !(argv[0] === 'gen' && argv[1] === 'object')) return undefined;
  const rest = argv.slice(named ? 1 : 2);
  let out: string | undefined;
  const positional: string[] = [];
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const s = rest[i];
    if (s === '--json' && !json) json = true;
    else if (named && (s === '-o' || s === '--output') && out === undefined && i + 1 < rest.length && !rest[i + 1].startsWith('-')) out = rest[++i];
    else if (named && s.startsWith('--output=') && out === undefined && s.length > '--output='.length) out = s.slice('--output='.length);
    else if (s.length > 0 && !s.startsWith('-')) positional.push(s);
    else return undefined;
  }
  if (!named) out = positional.shift();
  if (out === undefined || positional.length === 0) return undefined;
  return { out, inputs: positional, json };
}
