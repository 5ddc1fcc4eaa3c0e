import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';

export interface MinCoreBtfArgs {
  input: string;
  output: string;
  objs: string[];
  json?: boolean;
}

export interface MinCoreBtfSummary {
  input: string;
  output: string;
  objects: string[];
  relocations: number;
  typesIn: number;
  typesKept: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * `min_core_btf <input> <output> <objs..>`, mounted under `bpfkit gen`:
 * bpftool's `gen min_core_btf` (same arguments, same output bytes).
 */
export function genMinCoreBtfSubcommand(y: Argv): Argv {
  return y.command(
    'min_core_btf <input> <output> <objs..>',
    "Write a BTF holding only what the objects' CO-RE relocations use of <input> (like `bpftool gen min_core_btf`)",
    (c) =>
      c
        .positional('input', { type: 'string', demandOption: true, describe: 'target BTF: raw, .btf.gz, or an ELF with .BTF' })
        .positional('output', { type: 'string', demandOption: true, describe: 'where to write the minimized raw BTF' })
        .positional('objs', { type: 'string', array: true, demandOption: true, describe: 'BPF objects with .BTF.ext CO-RE records' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary (types kept, bytes in and out)' }),
    async (argv) => {
      const a = argv as unknown as MinCoreBtfArgs;
      const s = await runMinCoreBtf(a);
      if (a.json === true) writeStdout(JSON.stringify(s, null, 2) + '\n');
    },
  );
}

/** Generate and write the file; the library is loaded only now. */
export async function runMinCoreBtf(a: MinCoreBtfArgs): Promise<MinCoreBtfSummary> {
  const { statSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const { BpfkitError } = await import('../../internal/errors.js');
  const { readBytes, writeBytesAtomic } = await import('../../internal/files.js');
  const { btfFromBytes } = await import('../../btf/load.js');
  const { encodeBtf } = await import('../../btf/encode.js');
  const { generateMinCoreBtf, readBtfgenObject } = await import('../../reloc/btfgen/index.js');

  // Refuse before reading anything: the same path, or another name for the
  // same file (a link), would lose an input.
  const sameFile = (p: string, q: string): boolean => {
    if (resolve(p) === resolve(q)) return true;
    try {
      const x = statSync(p);
      const y = statSync(q);
      return x.dev === y.dev && x.ino === y.ino;
    } catch {
      return false;
    }
  };
  for (const inp of [a.input, ...a.objs]) {
    if (sameFile(a.output, inp)) {
      throw new BpfkitError('BAD_VALUE', `the output would overwrite the input ${inp}; name another output file`, { file: a.output });
    }
  }

  const inputBytes = readBytes(a.input);
  const target = btfFromBytes(inputBytes, { file: a.input });
  const objects = a.objs.map((p) => readBtfgenObject(p));
  const { btf, relocations } = generateMinCoreBtf(target, objects);
  const out = encodeBtf(btf);
  writeBytesAtomic(a.output, out);
  return {
    input: a.input,
    output: a.output,
    objects: a.objs,
    relocations,
    typesIn: target.typeCount - 1,
    typesKept: btf.typeCount - 1,
    bytesIn: inputBytes.byteLength,
    bytesOut: out.byteLength,
  };
}
