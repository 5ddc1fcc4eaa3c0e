/**
 * BTFGen: a minimal BTF holding only the types and members that some BPF
 * objects' CO-RE relocations use in a target BTF (bpftool's `gen
 * min_core_btf`), so that a small file can stand in for a whole kernel BTF
 * when relocating those objects. Relocating against the result gives the
 * same decisions as against the full target.
 */
import { btfExtFromElf, btfFromElf, encodeBtf, type Btf } from '../../btf/index.js';
import { readElf } from '../../elf/index.js';
import { readBytes } from '../../internal/files.js';
import { buildMinimalBtf } from './build.js';
import { Marks } from './mark.js';
import { type BtfgenObject, recordObject, type TargetIndex } from './record.js';

export type { BtfgenObject } from './record.js';
export { Marks } from './mark.js';

export interface MinCoreBtfOptions {
  /** Byte order of the result; defaults to the target's. */
  littleEndian?: boolean;
}

/**
 * The minimized BTF of `target` for `objects` (a BpfObject, or anything
 * with the object's `.BTF` and `.BTF.ext`). Throws BpfkitError for an object
 * without `.BTF.ext` or a relocation that cannot be resolved.
 */
export function minCoreBtf(target: Btf, objects: readonly BtfgenObject[], opts: MinCoreBtfOptions = {}): Btf {
  return generateMinCoreBtf(target, objects, opts).btf;
}

export interface MinCoreBtfResult {
  btf: Btf;
  /** CO-RE relocation records resolved, over all objects. */
  relocations: number;
}

/** minCoreBtf with counts for reports. */
export function generateMinCoreBtf(target: Btf, objects: readonly BtfgenObject[], opts: MinCoreBtfOptions = {}): MinCoreBtfResult {
  const marks = new Marks(target);
  const index: TargetIndex = {};
  let relocations = 0;
  for (const obj of objects) relocations += recordObject(marks, obj, index);
  return { btf: buildMinimalBtf(marks, opts), relocations };
}

/** minCoreBtf encoded as raw BTF bytes (the file bpftool writes). */
export function minCoreBtfBytes(target: Btf, objects: readonly BtfgenObject[], opts: MinCoreBtfOptions = {}): Uint8Array {
  return encodeBtf(minCoreBtf(target, objects, opts));
}

/**
 * Only the `.BTF` and `.BTF.ext` of an object file, which is all btfgen
 * reads (bpftool parses nothing else either, so objects libbpf would not
 * open for loading still work).
 */
export function readBtfgenObject(path: string): BtfgenObject {
  const elf = readElf(readBytes(path), { file: path });
  const btf = btfFromElf(elf, { file: path });
  return { file: path, btf, btfExt: btfExtFromElf(elf, btf, path) };
}
