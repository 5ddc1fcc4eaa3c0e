/**
 * Mutation strategies. Each is a pure function of (input bytes, rng,
 * landmarks): it never writes to its input and returns new bytes.
 *
 * Random bit flips alone rarely get past the first magic/size checks, so
 * most strategies aim at the fields that parsers must not trust: counts,
 * offsets, lengths, kinds and ids, using the landmarks computed from the
 * unmutated input (see subjects.ts), and set them to values chosen to sit
 * on boundaries (off by one, the input's length) or to overflow (all ones,
 * sign bit, 2^28).
 *
 * This file is the registry. planCase picks strategies from MUTATORS by
 * position, so the order and the names here are part of every
 * `--seed S --case N` reproduction; the strategies themselves live in one
 * file per target family (generic, elf, btf, btf-blob, btf-ext).
 */
import type { Landmarks } from '../subjects.js';
import { btfGzip, btfLayout } from './btf-blob.js';
import { extHeader, extNumInfo, extRecSize, extRecord } from './btf-ext.js';
import {
  btfCopyRecord,
  btfHeader,
  btfKflag,
  btfKind,
  btfName,
  btfRefChain,
  btfShift,
  btfStrings,
  btfTypeRef,
  btfVlen,
} from './btf.js';
import {
  elfExtendedIndex,
  elfHeader,
  elfRelocation,
  elfSectionHeader,
  elfStrtab,
  elfSwapSections,
  elfSymbol,
} from './elf.js';
import { bitflip, extend, insertDelete, interesting, splice, truncate } from './generic.js';
import type { Mutator } from './mutator.js';

export { GZIP } from './btf-blob.js';
export { aimedValue, readUint, writeUint } from './fields.js';
export type { Mutator } from './mutator.js';

export const MUTATORS: readonly Mutator[] = [
  bitflip,
  interesting,
  truncate,
  extend,
  splice,
  insertDelete,
  elfHeader,
  elfSectionHeader,
  elfSwapSections,
  elfExtendedIndex,
  elfStrtab,
  elfSymbol,
  elfRelocation,
  btfHeader,
  btfKind,
  btfVlen,
  btfKflag,
  btfName,
  btfTypeRef,
  btfRefChain,
  btfStrings,
  btfShift,
  btfCopyRecord,
  btfLayout,
  btfGzip,
  extHeader,
  extRecSize,
  extNumInfo,
  extRecord,
];

export function mutatorByName(name: string): Mutator | undefined {
  return MUTATORS.find((m) => m.name === name);
}

/** The strategies that have something to aim at in this input. */
export function applicableMutators(marks: Landmarks): Mutator[] {
  return MUTATORS.filter((m) => m.applies(marks));
}
