import type { Btf } from '../btf/btf.js';
import { Kind, MAX_KNOWN_KIND } from '../btf/kinds.js';
import { remapTypeRefs } from '../btf/type-refs.js';
import { isOpaque, type AnyBtfType, type BtfType } from '../btf/types.js';
import { linkError } from './errors.js';
import type { OutBtf } from './out-btf.js';

/**
 * A copy of `t` with a new id and every type reference passed through
 * `map` (remapTypeRefs). Names are kept as strings; the output's string
 * numbers come from them when the copy is added to the output records.
 */
export function copyType(t: AnyBtfType, id: number, map: (ref: number) => number, file: string): BtfType {
  if (isOpaque(t)) {
    throw linkError('UNSUPPORTED', `BTF kind ${t.rawKind} is newer than this linker`, { file, section: '.BTF', typeId: t.id });
  }
  return remapTypeRefs(t, id, map) as BtfType;
}

/**
 * Append own types `ids` of an input BTF still backed by its wire index to
 * the output records, straight from the wire words: the same records as
 * decoding each type, copying it with copyType and encoding the copy,
 * without any of those objects. `map[ref]` is the output id of input type
 * `ref` (0 for a type not carried over, which only void may be). Names
 * become the output's string numbers through a per-input cache by string
 * offset (equal offsets are equal strings), so each input string is
 * decoded once.
 */
export function appendWireTypes(out: OutBtf, btf: Btf, ids: readonly number[], map: Uint32Array, file: string): void {
  const w = btf.wire!;
  const src = w.words;
  const offsets = w.offsets;
  const first = w.firstId;
  const names = nameNumbers(out, btf);
  const nameNo = (o: number): number => {
    const n = names[o];
    return n >= 0 ? n : (names[o] = out.strNo(btf.str(o)));
  };
  const bad = (ref: number): never => {
    throw linkError('BAD_VALUE', `type refers to [${ref}], which was not carried into the output`, { file, section: '.BTF' });
  };
  // Runs of consecutive input types are copied with one native call, then
  // names and references are rewritten record by record; reads are inline
  // (no helper per field): most of a link runs before V8 optimises this
  // loop, and in the interpreter a call costs more than the work it wraps.
  let k = 0;
  while (k < ids.length) {
    const i0 = ids[k] - first;
    let k1 = k;
    while (k1 < ids.length && ids[k1] - first === i0 + (k1 - k) && copiedKind((src[(offsets[i0 + (k1 - k)] >> 2) + 1] >>> 24) & 0x7f)) k1++;
    if (k1 === k) {
      // DATASECs are rebuilt, not copied; anything else is a kind newer
      // than this linker (decoded as opaque): copyType reports it.
      out.addType(copyType(btf.type(ids[k])!, out.count, (r) => (map[r] === 0 && r !== 0 ? bad(r) : map[r]), file));
      k++;
      continue;
    }
    const q0 = offsets[i0] >> 2;
    const q1 = offsets[i0 + (k1 - k)] >> 2;
    out.reserve(q1 - q0, k1 - k);
    const at0 = out.used;
    const d = out.words;
    const off = out.off;
    d.set(src.subarray(q0, q1), at0);
    let id = out.id;
    for (let i = i0, iEnd = i0 + (k1 - k); i < iEnd; i++, id++) {
      const at = at0 + ((offsets[i] >> 2) - q0);
      const info = d[at + 1];
      off[id] = at;
      const vlen = info & 0xffffff;
      let n = names[d[at]];
      d[at] = n >= 0 ? n : nameNo(d[at]);
      let r: number;
      let x: number;
      switch ((info >>> 24) & 0x7f) {
        case Kind.Array:
          r = d[at + 3];
          x = map[r];
          if (x === 0 && r !== 0) bad(r);
          d[at + 3] = x;
          r = d[at + 4];
          x = map[r];
          if (x === 0 && r !== 0) bad(r);
          d[at + 4] = x;
          break;
        case Kind.Struct:
        case Kind.Union:
          for (let m = at + 3, end = m + 3 * vlen; m < end; m += 3) {
            n = names[d[m]];
            d[m] = n >= 0 ? n : nameNo(d[m]);
            r = d[m + 1];
            x = map[r];
            if (x === 0 && r !== 0) bad(r);
            d[m + 1] = x;
          }
          break;
        case Kind.Enum:
          for (let m = at + 3, end = m + 2 * vlen; m < end; m += 2) d[m] = nameNo(d[m]);
          break;
        case Kind.Enum64:
          for (let m = at + 3, end = m + 3 * vlen; m < end; m += 3) d[m] = nameNo(d[m]);
          break;
        case Kind.FuncProto:
          r = d[at + 2];
          x = map[r];
          if (x === 0 && r !== 0) bad(r);
          d[at + 2] = x;
          for (let m = at + 3, end = m + 2 * vlen; m < end; m += 2) {
            n = names[d[m]];
            d[m] = n >= 0 ? n : nameNo(d[m]);
            r = d[m + 1];
            x = map[r];
            if (x === 0 && r !== 0) bad(r);
            d[m + 1] = x;
          }
          break;
        case Kind.Int:
        case Kind.Fwd:
        case Kind.Float:
          break;
        default:
          // PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC, VAR, DECL_TAG.
          r = d[at + 2];
          x = map[r];
          if (x === 0 && r !== 0) bad(r);
          d[at + 2] = x;
          break;
      }
    }
    out.id = id;
    out.used = at0 + (q1 - q0);
    off[id] = out.used;
    k = k1;
  }
}

/**
 * The output's string number for every string that starts at an offset of
 * this input's own table (-1 elsewhere: an offset into the middle of a
 * string, or into the base's table, is looked up when met). All strings
 * come out of one native split of the table, not one decode each.
 */
function nameNumbers(out: OutBtf, btf: Btf): Int32Array {
  const base = btf.strOffsetBase;
  const names = new Int32Array(base + btf.strings.size).fill(-1);
  const bytes = btf.strings.bytes;
  const parts = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').split('\0');
  // The last part follows the final NUL (or is a string with none, which
  // StringTable refuses: leave it to the lookup, which reports it).
  let at = base;
  for (let k = 0; k < parts.length - 1; k++) {
    names[at] = out.strNo(parts[k]);
    at += parts[k].length + 1;
  }
  return names;
}

/** Kinds copied word by word (every kind this linker knows but DATASEC). */
function copiedKind(kind: number): boolean {
  return kind >= Kind.Int && kind <= MAX_KNOWN_KIND && kind !== Kind.Datasec;
}
