import { BpfkitError, withLocation } from '../internal/errors.js';
import { Reader } from '../internal/reader.js';
import { Writer } from '../internal/writer.js';
import { ELF64_REL_SIZE, ELF64_RELA_SIZE, SHT_REL, SHT_RELA } from './constants.js';
import { sectionLabel } from './sections.js';
import type { ElfFile, ElfSection } from './types.js';

export interface ElfRelocation {
  /** Position in the relocation section. */
  index: number;
  /** r_offset: byte offset in the target section. */
  offset: bigint;
  /** Symbol table index (high 32 bits of r_info). */
  symbol: number;
  /** R_BPF_* (low 32 bits of r_info). */
  type: number;
  /** r_addend, present for RELA sections only. */
  addend?: bigint;
}

/** Decode a REL or RELA section. */
export function readRelocations(elf: ElfFile, section: ElfSection): ElfRelocation[] {
  return withLocation({ file: elf.fileName, section: sectionLabel(section) }, () => {
    const rela = section.type === SHT_RELA;
    if (!rela && section.type !== SHT_REL) {
      throw new BpfkitError('BAD_KIND', `section type 0x${section.type.toString(16)} is not REL or RELA`, { offset: section.offset });
    }
    const entsize = rela ? ELF64_RELA_SIZE : ELF64_REL_SIZE;
    const data = section.data;
    if (data.byteLength % entsize !== 0) {
      throw new BpfkitError('BAD_VALUE', `relocation section size ${data.byteLength} is not a multiple of ${entsize}`, {
        offset: section.offset,
      });
    }
    const r = new Reader(data, elf.littleEndian, section.offset);
    const count = data.byteLength / entsize;
    const out: ElfRelocation[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const offset = r.u64();
      const info = r.u64();
      const rel: ElfRelocation = {
        index: i,
        offset,
        symbol: Number(info >> 32n),
        type: Number(info & 0xffff_ffffn),
      };
      if (rela) rel.addend = BigInt.asIntN(64, r.u64());
      out[i] = rel;
    }
    return out;
  });
}

/** Encode relocations as REL (`rela` false) or RELA section bytes. */
export function encodeRelocations(relocations: readonly ElfRelocation[], littleEndian: boolean, rela: boolean): Uint8Array {
  const entsize = rela ? ELF64_RELA_SIZE : ELF64_REL_SIZE;
  const w = new Writer(littleEndian, relocations.length * entsize);
  for (const rel of relocations) {
    w.u64(BigInt.asUintN(64, rel.offset));
    w.u64((BigInt(rel.symbol >>> 0) << 32n) | BigInt(rel.type >>> 0));
    if (rela) w.u64(BigInt.asUintN(64, rel.addend ?? 0n));
  }
  return w.finish();
}

/** All REL and RELA sections, in index order. */
export function relocationSections(elf: ElfFile): ElfSection[] {
  return elf.sections.filter((s) => s.type === SHT_REL || s.type === SHT_RELA);
}

/** The section a relocation section applies to (sh_info), if it exists. */
export function relocationTarget(elf: ElfFile, section: ElfSection): ElfSection | undefined {
  return section.info > 0 ? elf.sections[section.info] : undefined;
}
