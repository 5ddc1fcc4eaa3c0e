import type { Btf } from '../btf/btf.js';
import { Kind, MAX_KNOWN_KIND } from '../btf/kinds.js';
import { isOpaque, type AnyBtfType, type BtfType } from '../btf/types.js';
import { linkError } from './errors.js';
import type { OutBtf } from './out-btf.js';

/**
 * A copy of `t` with a new id and every type reference passed through
 * `map`. Names are kept as strings; string offsets are assigned when the
 * output BTF is encoded.
 */
export function copyType(t: AnyBtfType, id: number, map: (ref: number) => number, file: string): BtfType {
  if (isOpaque(t)) {
    throw linkError('UNSUPPORTED', `BTF kind ${t.rawKind} is newer than this linker`, { file, section: '.BTF', typeId: t.id });
  }
  const base = { id, name: t.name, nameOff: 0, kflag: t.kflag };
  switch (t.kind) {
    case Kind.Int:
    case Kind.Float:
    case Kind.Fwd:
      return { ...t, ...base };
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
    case Kind.Func:
    case Kind.Var:
    case Kind.DeclTag:
      return { ...t, ...base, type: map(t.type) };
    case Kind.Array:
      return { ...t, ...base, type: map(t.type), indexType: map(t.indexType) };
    case Kind.Struct:
    case Kind.Union:
      return { ...t, ...base, members: t.members.map((m) => ({ ...m, nameOff: 0, type: map(m.type) })) };
    case Kind.Enum:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.Enum64:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.FuncProto:
      return { ...t, ...base, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, nameOff: 0, type: map(p.type) })) };
    case Kind.Datasec:
      return { ...t, ...base, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
  }
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
  const cache = new Int32Array(btf.strOffsetBase + btf.strings.size).fill(-1);
  const nameNo = (o: number): number => {
    let n = cache[o];
    if (n < 0) {
      n = out.strNo(btf.str(o));
      cache[o] = n;
    }
    return n;
  };
  const to = (ref: number): number => {
    const x = map[ref];
    if (x === 0 && ref !== 0) {
      throw linkError('BAD_VALUE', `type refers to [${ref}], which was not carried into the output`, { file, section: '.BTF' });
    }
    return x;
  };
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k] - first;
    const q = offsets[i] >> 2;
    const info = src[q + 1];
    const kind = (info >>> 24) & 0x7f;
    const vlen = info & 0xffffff;
    if (!copiedKind(kind)) {
      // DATASECs are rebuilt, not copied; anything else is a kind newer
      // than this linker (decoded as opaque): copyType reports it.
      out.addType(copyType(btf.type(ids[k])!, out.count, to, file));
      continue;
    }
    const len = (offsets[i + 1] - offsets[i]) >> 2;
    const at = out.begin(len);
    const d = out.words;
    // Records are a few words: a loop beats subarray + set (an object each).
    for (let j = 1; j < len; j++) d[at + j] = src[q + j];
    d[at] = nameNo(src[q]);
    switch (kind) {
      case Kind.Array:
        d[at + 3] = to(d[at + 3]);
        d[at + 4] = to(d[at + 4]);
        break;
      case Kind.Struct:
      case Kind.Union:
        for (let m = at + 3, end = m + 3 * vlen; m < end; m += 3) {
          d[m] = nameNo(d[m]);
          d[m + 1] = to(d[m + 1]);
        }
        break;
      case Kind.Enum:
        for (let m = at + 3, end = m + 2 * vlen; m < end; m += 2) d[m] = nameNo(d[m]);
        break;
      case Kind.Enum64:
        for (let m = at + 3, end = m + 3 * vlen; m < end; m += 3) d[m] = nameNo(d[m]);
        break;
      case Kind.FuncProto:
        d[at + 2] = to(d[at + 2]);
        for (let m = at + 3, end = m + 2 * vlen; m < end; m += 2) {
          d[m] = nameNo(d[m]);
          d[m + 1] = to(d[m + 1]);
        }
        break;
      case Kind.Int:
      case Kind.Fwd:
      case Kind.Float:
        break;
      default:
        // PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC, VAR, DECL_TAG.
        d[at + 2] = to(d[at + 2]);
        break;
    }
    out.end(len);
  }
}

/** Kinds copied word by word (every kind this linker knows but DATASEC). */
function copiedKind(kind: number): boolean {
  return kind >= Kind.Int && kind <= MAX_KNOWN_KIND && kind !== Kind.Datasec;
}
