#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BpfkitError } from '../internal/errors.js';
import { btfCommand } from './commands/btf.js';
import { VERSION } from '../version.js';

/** The bpfkit command line: thin yargs commands over the library. */
function main(argv: string[]): void {
  let y = yargs(argv).scriptName('bpfkit').version(VERSION).strict().demandCommand(1, 'name a command').help();
  y = btfCommand(y);
  y.fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`bpfkit: ${msg}\n(see bpfkit --help)\n`);
    process.exit(2);
  });
  try {
    y.parseSync();
  } catch (e) {
    if (e instanceof BpfkitError) {
      process.stderr.write(`bpfkit: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

main(hideBin(process.argv));
