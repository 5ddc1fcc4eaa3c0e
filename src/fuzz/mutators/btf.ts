/**
 * Strategies aimed at the fields of a BTF blob in place: header, type
 * records (kind, vlen, kflag, names, type references) and the string
 * section (landmarks from marks.btf). btf-blob.ts holds the ones that
 * rebuild the whole blob.
 */
import type { Rng } from '../rng.js';
import type { BtfMarks, Landmarks } from '../subjects.js';
import { aimField, copyOf, readUint, writeUint } from './fields.js';
import type { Mutator } from './mutator.js';

/** The byte order of BTF is its own (from the magic), which for a mutated
 * ELF with a flipped EI_DATA differs from the ELF's. Corpus objects agree. */
export function btfLe(bytes: Uint8Array, b: BtfMarks, marks: Landmarks): boolean {
  if (bytes[b.at] === 0x9f && bytes[b.at + 1] === 0xeb) return true;
  if (bytes[b.at] === 0xeb && bytes[b.at + 1] === 0x9f) return false;
  return marks.littleEndian;
}

export const btfHeader: Mutator = {
  name: 'btf-header',
  applies: (m) => m.btf !== undefined,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const r = rng.below(10);
    if (r === 0) {
      const out = copyOf(bytes);
      // Magic in the other byte order: the whole blob reads byte-swapped.
      writeUint(out, b.at, 2, 0xeb9fn, !le);
      return out;
    }
    if (r === 1) return aimField(bytes, rng, b.at + 2, 1, le, [1, 2]); // version
    if (r === 2) return aimField(bytes, rng, b.at + 3, 1, le, []); // flags
    // hdr_len, type_off, type_len, str_off, str_len (and the layout pair
    // when the header has one).
    const fields = [4, 8, 12, 16, 20];
    if (b.hdrLen >= 32) fields.push(24, 28);
    const at = b.at + rng.pick(fields);
    return aimField(bytes, rng, at, 4, le, [b.len, b.len - b.hdrLen, b.typeLen, b.strLen, b.hdrLen, b.typeLen + b.strLen, 24, 32]);
  },
};

function pickRecord(rng: Rng, b: BtfMarks): number | undefined {
  return b.records.length === 0 ? undefined : rng.pick(b.records);
}

/** Record bytes available from record start `p` to the end of the type section. */
function recordEnd(b: BtfMarks, p: number): number {
  const i = b.records.indexOf(p);
  return i >= 0 && i + 1 < b.records.length ? b.records[i + 1] : b.typeStart + b.typeLen;
}

export const btfKind: Mutator = {
  name: 'btf-kind',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    // Swapped kind: the record is read with another kind's layout.
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const info = Number(readUint(bytes, p + 4, 4, le));
    const kind = rng.chance(0.9) ? rng.below(32) : rng.below(128);
    const out = copyOf(bytes);
    writeUint(out, p + 4, 4, BigInt(((info & 0x80ffffff) | (kind << 24)) >>> 0), le);
    return out;
  },
};

export const btfVlen: Mutator = {
  name: 'btf-vlen',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const info = Number(readUint(bytes, p + 4, 4, le));
    const old = info & 0xffffff;
    const left = b.typeStart + b.typeLen - p - 12;
    const vlen = rng.pick([
      0xffffff,
      0x7fffff,
      0x10000,
      0xffff,
      old + 1,
      Math.max(0, old - 1),
      0,
      Math.floor(left / 12),
      Math.floor(left / 8),
      Math.floor(left / 8) + 1,
      Math.floor(left / 12) + 1,
    ]);
    const out = copyOf(bytes);
    writeUint(out, p + 4, 4, BigInt(((info & 0xff000000) | (vlen & 0xffffff)) >>> 0), le);
    return out;
  },
};

export const btfKflag: Mutator = {
  name: 'btf-kflag',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const out = copyOf(bytes);
    // Bit 31 of info; also bits 24-30's unused high end for older 5-bit readers.
    const bit = rng.chance(0.8) ? 31 : rng.range(29, 30);
    writeUint(out, p + 4, 4, readUint(bytes, p + 4, 4, le) ^ (1n << BigInt(bit)), le);
    return out;
  },
};

function nameHints(b: BtfMarks): number[] {
  return [b.strSpace, b.strSpace - 1, b.strSpace + 1, b.strSpace - b.strLen, 0xffffffff, 0x80000000];
}

export const btfName: Mutator = {
  name: 'btf-name',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    // The type's own name_off, or a word in its vlen records (member,
    // enumerator and parameter names sit at their start).
    const end = recordEnd(b, p);
    const stride = rng.pick([8, 12]);
    const slots = Math.floor((end - p - 12) / stride);
    const at = slots > 0 && rng.chance(0.5) ? p + 12 + rng.below(slots) * stride : p;
    const out = copyOf(bytes);
    const v = rng.chance(0.3) ? rng.below(Math.max(1, b.strSpace)) : rng.pick(nameHints(b));
    writeUint(out, at, 4, BigInt(v >>> 0), le);
    return out;
  },
};

export const btfTypeRef: Mutator = {
  name: 'btf-typeref',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    // A word that holds a type id (or a size, or a count, depending on the
    // kind): size_or_type, or any word of the record's payload (member and
    // parameter types, array element/index types and nelems, datasec
    // entries, enum values, decl_tag component_idx).
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const end = recordEnd(b, p);
    const words = Math.floor((end - p - 8) / 4);
    const at = words > 1 && rng.chance(0.6) ? p + 12 + rng.below(words - 1) * 4 : p + 8;
    const self = b.records.indexOf(p) + (b.typeCount - b.records.length);
    return aimField(bytes, rng, at, 4, le, [b.typeCount, b.typeCount - 1, b.typeCount + 1, self, self + 1, 0]);
  },
};

export const btfRefChain: Mutator = {
  name: 'btf-refchain',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 1,
  mutate(bytes, rng, marks) {
    // Rewire the member types of a run of structs and unions so that each
    // refers to the next: a deep chain with fan-out (every member of one
    // level is the next level), ending in a loop back or in a leaf. Any
    // code that follows type references recursively without a memo or a
    // visited set meets vlen^depth paths here; single-word mutations
    // almost never build that shape.
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const firstId = b.typeCount - b.records.length;
    const composites: { p: number; id: number; vlen: number }[] = [];
    b.records.forEach((p, i) => {
      const info = Number(readUint(bytes, p + 4, 4, le));
      const kind = (info >>> 24) & 0x7f;
      const vlen = info & 0xffffff;
      // An earlier mutation may have left any vlen here: rewire only the
      // members that lie inside the type section.
      const room = Math.max(0, Math.floor((b.typeStart + b.typeLen - p - 12) / 12));
      if ((kind === 4 || kind === 5) && vlen > 0) composites.push({ p, id: firstId + i, vlen: Math.min(vlen, room) });
    });
    const out = copyOf(bytes);
    if (composites.length === 0) return out;
    const start = rng.below(composites.length);
    const chain = composites.slice(start, start + rng.range(2, 48));
    for (let i = 0; i < chain.length; i++) {
      const c = chain[i];
      const last = i === chain.length - 1;
      const to = !last ? chain[i + 1].id : rng.pick([c.id, chain[0].id, 0, rng.below(b.typeCount)]);
      for (let j = 0; j < c.vlen; j++) writeUint(out, c.p + 12 + j * 12 + 4, 4, BigInt(to), le);
    }
    return out;
  },
};

export const btfStrings: Mutator = {
  name: 'btf-strings',
  applies: (m) => m.btf !== undefined && m.btf.strLen > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const out = copyOf(bytes);
    const s = b.strStart;
    const n = b.strLen;
    if (s + n > out.byteLength) return out;
    switch (rng.below(4)) {
      case 0:
        out[s + n - 1] = 0x41; // no final NUL
        break;
      case 1:
        out[s] = 0x41; // no leading empty string
        break;
      case 2: {
        // Remove a run of terminators: strings run into each other.
        const a = s + rng.below(n);
        out.fill(0x41, a, Math.min(s + n, a + rng.range(1, 64)));
        break;
      }
      default:
        out[s + rng.below(n)] = rng.chance(0.5) ? 0 : 0xff;
        break;
    }
    return out;
  },
};

export const btfShift: Mutator = {
  name: 'btf-shift',
  applies: (m) => m.btf !== undefined && m.btf.typeLen > 16,
  mutate(bytes, rng, marks) {
    // Move part of the type section by a few bytes without changing its
    // length, so records straddle their neighbours.
    const b = marks.btf!;
    const out = copyOf(bytes);
    const s = b.typeStart;
    const e = Math.min(s + b.typeLen, out.byteLength);
    if (e - s < 16) return out;
    const p = s + rng.below(e - s - 12);
    const k = rng.pick([1, 2, 4, 8, 12]);
    if (rng.chance(0.5)) out.copyWithin(p, p + k, e);
    else out.copyWithin(p + k, p, e - k);
    return out;
  },
};

export const btfCopyRecord: Mutator = {
  name: 'btf-copy-record',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 1,
  mutate(bytes, rng, marks) {
    // One record's bytes over another's start: a valid record in the
    // wrong place, whose size no longer matches the gap it fills.
    const b = marks.btf!;
    const out = copyOf(bytes);
    const from = rng.pick(b.records);
    const to = rng.pick(b.records);
    const n = Math.min(recordEnd(b, from) - from, b.typeStart + b.typeLen - to);
    if (n > 0 && from + n <= out.byteLength && to + n <= out.byteLength) out.copyWithin(to, from, from + n);
    return out;
  },
};
