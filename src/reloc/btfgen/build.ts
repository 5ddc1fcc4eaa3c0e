/**
 * The minimized BTF built from marks (the second half of bpftool's
 * `gen min_core_btf`, btfgen_get_btf).
 *
 * Kept types go out in their original id order, renumbered densely from 1.
 * A struct/union keeps its name and size but only the marked members, in
 * their original order and at their original bit offsets; its kind_flag is
 * set only when a kept member is a bitfield (bit size, or an offset that is
 * not a whole byte), as libbpf's btf__add_field decides. Every other kind is
 * copied whole (an enum keeps all its values). A reference to a type that
 * was not kept becomes 0: a pointer whose target was not needed turns into
 * `void *`. Nothing is deduplicated beyond the string table, which holds
 * each name once in first-use order (type name, then its members, values
 * or parameters), like libbpf's string set.
 */
import { Btf, Kind, type AnyBtfType, type BtfType, type Member } from '../../btf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import { StringTable, StringTableBuilder } from '../../internal/strings.js';
import type { Marks } from './mark.js';

export interface BuildOptions {
  /** Byte order of the result; defaults to the target's. */
  littleEndian?: boolean;
}

export function buildMinimalBtf(marks: Marks, opts: BuildOptions = {}): Btf {
  const src = marks.btf;
  const kept = [...marks.types].sort((a, b) => a - b);
  const newId = new Map<number, number>();
  kept.forEach((id, i) => newId.set(id, i + 1));
  const map = (id: number): number => newId.get(id) ?? 0;
  const strings = new StringTableBuilder();
  const str = (s: string): number => (s === '' ? 0 : strings.add(s));

  const types: AnyBtfType[] = kept.map((oldId, i) => {
    const t = src.type(oldId)!;
    return copyType(t, i + 1, map, str, marks.members.get(oldId));
  });
  return new Btf({
    types,
    strings: new StringTable(strings.finish()),
    littleEndian: opts.littleEndian ?? src.littleEndian,
  });
}

function copyType(
  t: AnyBtfType,
  id: number,
  map: (id: number) => number,
  str: (s: string) => number,
  keepMembers: Set<number> | undefined,
): BtfType {
  if (t.kind === Kind.Unknown) throw new BpfkitError('UNSUPPORTED', `type [${t.id}] has a kind this code does not know`, { typeId: t.id });
  const head = { id, name: t.name, nameOff: str(t.name), kflag: t.kflag };
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union: {
      const members: Member[] = [];
      let bitfields = false;
      t.members.forEach((m, idx) => {
        if (keepMembers === undefined || !keepMembers.has(idx)) return;
        const isBitfield = m.bitfieldSize !== 0 || m.bitsOffset % 8 !== 0;
        if (isBitfield && (m.bitfieldSize > 255 || m.bitsOffset > 0xffffff)) {
          throw new BpfkitError('BAD_VALUE', `member '${m.name}' of [${t.id}] is a bitfield out of range`, { typeId: t.id });
        }
        if (t.kind === Kind.Union && m.bitsOffset !== 0) {
          throw new BpfkitError('BAD_VALUE', `member '${m.name}' of union [${t.id}] is not at offset 0`, { typeId: t.id });
        }
        bitfields ||= isBitfield;
        members.push({ name: m.name, nameOff: str(m.name), type: map(m.type), bitsOffset: m.bitsOffset, bitfieldSize: m.bitfieldSize });
      });
      return { ...head, kind: t.kind, kflag: bitfields, size: t.size, members };
    }
    case Kind.Int:
    case Kind.Float:
    case Kind.Fwd:
      return { ...t, ...head };
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      return { ...t, ...head, type: map(t.type) };
    case Kind.Array:
      return { ...t, ...head, type: map(t.type), indexType: map(t.indexType) };
    case Kind.Enum:
      return { ...t, ...head, values: t.values.map((v) => ({ ...v, nameOff: str(v.name) })) };
    case Kind.Enum64:
      return { ...t, ...head, values: t.values.map((v) => ({ ...v, nameOff: str(v.name) })) };
    case Kind.FuncProto:
      return {
        ...t,
        ...head,
        returnType: map(t.returnType),
        params: t.params.map((p) => ({ name: p.name, nameOff: str(p.name), type: map(p.type) })),
      };
    default:
      // marking never keeps FUNC, VAR, DATASEC or DECL_TAG
      throw new BpfkitError('UNSUPPORTED', `type [${t.id}] of kind ${t.kind} cannot be kept`, { typeId: t.id });
  }
}
