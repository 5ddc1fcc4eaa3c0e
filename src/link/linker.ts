import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { BpfkitError } from '../internal/errors.js';
import { writeBytesAtomic } from '../internal/files.js';
import { appendBtf } from './btf-append.js';
import { appendBtfExt } from './btf-ext-append.js';
import { linkError } from './errors.js';
import { finalizeLink } from './finalize.js';
import { loadInput } from './load.js';
import { OutBtf } from './out-btf.js';
import { readLinkInput } from './read-input.js';
import type { LinkState } from './model.js';
import { appendRelocations } from './relocations.js';
import { appendSections } from './sections.js';
import { summarizeLink, type LinkSummary } from './summary.js';
import { appendSymbols } from './symbols.js';

export interface LinkerOptions {
  /** Output name, for messages and the summary. */
  output?: string;
}

/**
 * The static BPF linker (libbpf's bpf_linker, `bpftool gen object`):
 * add relocatable BPF objects in order, then finalize into one object.
 *
 *   const l = new Linker({ output: 'out.o' });
 *   l.addFile('a.o'); l.addFile('b.o');
 *   const bytes = l.finalize();
 */
export class Linker {
  private readonly state: LinkState = {
    littleEndian: undefined,
    firstFile: undefined,
    sections: [],
    symbols: [],
    globals: new Map(),
    btf: new OutBtf(1024),
    inputs: [],
  };
  private readonly paths = new Set<string>();
  private failed: BpfkitError | undefined;
  private result: Uint8Array | undefined;
  private btfTypes = 0;
  readonly output: string | undefined;

  constructor(opts: LinkerOptions = {}) {
    this.output = opts.output;
  }

  /** Add an object file from disk. */
  addFile(path: string): this {
    this.paths.add(canonicalPath(path));
    // The buffer is ours: the ELF reader may keep views into it.
    return this.add(path, readLinkInput(path), true);
  }

  /** Add an object from memory; `name` is used in messages. */
  addBuffer(name: string, bytes: Uint8Array): this {
    return this.add(name, bytes, false);
  }

  private add(name: string, bytes: Uint8Array, adopt: boolean): this {
    this.usable();
    if (this.result !== undefined) throw linkError('BAD_VALUE', 'the link is already finalized; create a new Linker', { file: name });
    try {
      const obj = loadInput(name, bytes, adopt);
      const st = this.state;
      if (st.littleEndian === undefined) {
        st.littleEndian = obj.littleEndian;
        st.firstFile = name;
      } else if (st.littleEndian !== obj.littleEndian) {
        const order = (le: boolean): string => (le ? 'little-endian (bpfel)' : 'big-endian (bpfeb)');
        throw linkError(
          'BAD_VALUE',
          `byte order mismatch: ${name} is ${order(obj.littleEndian)} but ${st.firstFile} is ${order(st.littleEndian)}; compile every input with the same -target`,
          { file: name },
        );
      }
      appendSections(st, obj);
      appendSymbols(st, obj);
      appendRelocations(st, obj);
      appendBtf(st, obj);
      appendBtfExt(st, obj);
      st.inputs.push(name);
      return this;
    } catch (e) {
      if (e instanceof BpfkitError) {
        if (e.file === undefined) e.locate({ file: name });
        this.failed = e;
      }
      throw e;
    }
  }

  /** Produce the linked object's bytes (deterministic for the same inputs). */
  finalize(): Uint8Array {
    this.usable();
    if (this.result === undefined) {
      if (this.state.inputs.length === 0) throw linkError('BAD_VALUE', 'nothing to link: add at least one object');
      const r = finalizeLink(this.state, this.output);
      this.result = r.bytes;
      this.btfTypes = r.btfTypes;
    }
    return this.result;
  }

  /** Finalize and write atomically to `path`, which must not be an input. */
  writeTo(path: string): Uint8Array {
    if (this.paths.has(canonicalPath(path))) {
      throw linkError('BAD_VALUE', `the output ${path} is also an input; choose another output file`, { file: path });
    }
    const bytes = this.finalize();
    writeBytesAtomic(path, bytes);
    return bytes;
  }

  /** What the link produced, for --json and reports. */
  summary(): LinkSummary {
    const bytes = this.finalize();
    return summarizeLink(this.state, this.output, bytes.byteLength, this.btfTypes);
  }

  private usable(): void {
    if (this.failed !== undefined) {
      throw linkError('BAD_VALUE', `an earlier input failed to link (${this.failed.message}); create a new Linker`);
    }
  }
}

function canonicalPath(p: string): string {
  try {
    // The native realpath(3): one system call, where the JS version lstats
    // every directory of the path (per input, this was a visible cost).
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** Link `inputs` into `output` (bpftool gen object OUT IN...). */
export function linkFiles(output: string, inputs: readonly string[]): { bytes: Uint8Array; summary: LinkSummary } {
  const l = new Linker({ output });
  for (const f of inputs) l.addFile(f);
  const bytes = l.writeTo(output);
  return { bytes, summary: l.summary() };
}
