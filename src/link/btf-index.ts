import type { Btf } from '../btf/btf.js';
import { Kind, LINKAGE_STATIC } from '../btf/kinds.js';
import { infoKind, infoVlen } from '../btf/wire.js';

/**
 * What the linker looks up in an input's BTF by kind or name: its DATASECs
 * and its non-static VARs and FUNCs. Built in one pass over the wire
 * records' header words, so that the input's types are never decoded as a
 * whole (the types are copied to the output straight from the wire, see
 * btf-copy.ts); only the few types looked at are decoded, lazily.
 */
export interface InputBtfIndex {
  /** Per type id: ROLE_DATASEC, ROLE_GLOBAL (a non-static VAR or FUNC) or 0. */
  roles: Uint8Array;
  /** DATASEC ids, ascending. */
  datasecs: number[];
  /** Ids of non-static VARs and FUNCs by name, ascending. */
  globals: Map<string, number[]>;
}

export const ROLE_DATASEC = 1;
export const ROLE_GLOBAL = 2;

export function indexInputBtf(btf: Btf): InputBtfIndex {
  const roles = new Uint8Array(btf.typeCount);
  const datasecs: number[] = [];
  const globals = new Map<string, number[]>();
  const add = (id: number): void => {
    roles[id] = ROLE_GLOBAL;
    const name = btf.nameOfId(id);
    const list = globals.get(name);
    if (list === undefined) globals.set(name, [id]);
    else list.push(id);
  };
  const first = btf.firstId;
  const end = btf.typeCount;
  const w = btf.wire;
  if (w !== undefined) {
    const words = w.words;
    const offsets = w.offsets;
    for (let id = first; id < end; id++) {
      const q = offsets[id - first] >> 2;
      const info = words[q + 1];
      const kind = infoKind(info);
      if (kind === Kind.Datasec) {
        roles[id] = ROLE_DATASEC;
        datasecs.push(id);
      } else if (kind === Kind.Func) {
        if (infoVlen(info) !== LINKAGE_STATIC) add(id);
      } else if (kind === Kind.Var) {
        if (words[q + 3] !== LINKAGE_STATIC) add(id);
      }
    }
  } else {
    for (const t of btf) {
      if (t.kind === Kind.Datasec) {
        roles[t.id] = ROLE_DATASEC;
        datasecs.push(t.id);
      } else if ((t.kind === Kind.Func || t.kind === Kind.Var) && t.linkage !== LINKAGE_STATIC) add(t.id);
    }
  }
  return { roles, datasecs, globals };
}
