#!/usr/bin/env node
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { BpfkitError } from '../internal/errors.js';
import { btfCommand, fastDumpArgs, runDump } from './commands/btf.js';
import { fastLinkArgs, runLink } from './commands/gen-object.js';

// yargs 17's CommonJS entry is one prebuilt file: it loads in about 15 ms,
// where the ESM entry (and yargs 18, ESM only) walks a module tree for about
// 70 ms. Start-up time counts: `btf dump` is measured against bpftool.
// It is required only when needed: see the fast path below.
const loadYargs = (): ((args: string[]) => Argv) => createRequire(import.meta.url)('yargs/yargs') as (args: string[]) => Argv;

/** The bpfkit command line: thin yargs commands over the library. */
async function main(argv: string[]): Promise<void> {
  // Fast paths: plain `btf dump FILE [--format F]` and plain links skip
  // yargs (see fastDumpArgs, fastLinkArgs); every other command line goes
  // through yargs below.
  const fast = fastDumpArgs(argv);
  if (fast !== undefined) return reportErrors(() => runDump(fast));
  const link = fastLinkArgs(argv);
  if (link !== undefined) return reportErrors(() => runLink(link.out, link.inputs, link.json));

  // The other commands' modules are loaded only here, after the fast path:
  // a `btf dump` run does not pay for them.
  const [{ inspectCommand }, { disasmCommand }, { coreCommand }, { genCommand }, { linkCommand }, { VERSION }] = await Promise.all([
    import('./commands/inspect.js'),
    import('./commands/disasm.js'),
    import('./commands/core.js'),
    import('./commands/gen.js'),
    import('./commands/link.js'),
    import('../version.js'),
  ]);
  const yargs = loadYargs();
  let y = yargs(argv).scriptName('bpfkit').version(VERSION).strict().demandCommand(1, 'name a command').help();
  y = btfCommand(y);
  y = inspectCommand(y);
  y = disasmCommand(y);
  y = coreCommand(y);
  y = genCommand(y);
  y = linkCommand(y);
  y.fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`bpfkit: ${msg}\n(see bpfkit --help)\n`);
    process.exit(2);
  });
  await reportErrors(() => y.parseAsync());
}

/** A BpfkitError is a message and exit status 1; anything else is a bug. */
async function reportErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof BpfkitError) {
      process.stderr.write(`bpfkit: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

void main(process.argv.slice(2));
