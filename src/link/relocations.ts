import { R_BPF_64_ABS64, SHF_EXECINSTR, SHT_REL, STT_SECTION, readRelocations } from '../elf/index.js';
import { linkError } from './errors.js';
import type { InputObject, LinkState } from './model.js';
import { extend, findOutSection, newOutSection } from './sections.js';

const BPF_JMP_CALL = 0x85;

/**
 * Stage 4 (libbpf: linker_append_elf_relos): relocation sections follow
 * their targets. Offsets move with the target's part of the output section
 * and symbols are renumbered. A relocation against a section symbol in code
 * addresses "section start + immediate", so when the section symbol now
 * stands for a concatenation the immediate moves by where this input's part
 * starts (in instructions for calls, in bytes otherwise); a function pointer
 * stored in data moves the same way.
 */
export function appendRelocations(state: LinkState, obj: InputObject): void {
  const le = obj.littleEndian;
  for (const src of obj.sections) {
    if (src.skipped || src.type !== SHT_REL) continue;
    const target = obj.sections[src.relTarget];
    if (target.skipped || target.outId < 0) continue;
    const dstTarget = state.sections[target.outId];
    let dst = findOutSection(state, src.name);
    if (dst === undefined) {
      dst = newOutSection(state, src);
      dst.relTarget = dstTarget;
    }
    extend(dst, src);
    const code = (target.flags & SHF_EXECINSTR) !== 0n;
    const view = new DataView(dstTarget.bytes.buffer, dstTarget.bytes.byteOffset, dstTarget.bytes.byteLength);
    for (const r of readRelocations(obj.elf, obj.elf.sections[src.index])) {
      const inSym = obj.symbols[r.symbol];
      const outSym = obj.symMap[r.symbol];
      const offset = target.outOffset + Number(r.offset);
      if (outSym === undefined) {
        throw linkError('BAD_VALUE', `relocation #${r.index} refers to symbol '${inSym.name}' of a section that is not linked`, {
          file: obj.name,
          section: src.name,
          symbol: inSym.name,
        });
      }
      if (inSym.type === STT_SECTION) {
        const symSec = obj.sections[inSym.shndx];
        if (symSec === undefined || (!code && offset + 8 > dstTarget.size)) {
          throw linkError('BAD_VALUE', `relocation #${r.index} against section symbol '${inSym.name}' cannot be applied here`, {
            file: obj.name,
            section: src.name,
          });
        }
        if (code) {
          const isCall = dstTarget.bytes[offset] === BPF_JMP_CALL;
          const delta = isCall ? symSec.outOffset / 8 : symSec.outOffset;
          view.setInt32(offset + 4, (view.getInt32(offset + 4, le) + delta) | 0, le);
        } else if (r.type === R_BPF_64_ABS64 && (symSec.flags & SHF_EXECINSTR) !== 0n) {
          view.setBigUint64(offset, BigInt.asUintN(64, view.getBigUint64(offset, le) + BigInt(symSec.outOffset)), le);
        } else {
          throw linkError('UNSUPPORTED', `relocation #${r.index} against section symbol '${inSym.name}' in a data section is not supported`, {
            file: obj.name,
            section: src.name,
          });
        }
      }
      dst.relocs.push({ offset, symbol: outSym, type: r.type });
    }
  }
}
