import { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';
import type { BtfType } from '../btf/types.js';
import { StringTable, StringTableBuilder } from '../internal/strings.js';

/**
 * Give every name of `types` an offset in one fresh string table, in type
 * order, then add `extra` strings (.BTF.ext section names, file names,
 * source lines, CO-RE access strings). The table depends only on the types
 * and the extra strings, so relinking a linked object reproduces it.
 */
export function buildBtf(types: readonly BtfType[], littleEndian: boolean, extra: Iterable<string> = []): { btf: Btf; offsetOf: (s: string) => number } {
  const b = new StringTableBuilder();
  const out: BtfType[] = types.map((t) => {
    const c = { ...t, nameOff: b.add(t.name) } as BtfType;
    switch (c.kind) {
      case Kind.Struct:
      case Kind.Union:
        c.members = c.members.map((m) => ({ ...m, nameOff: b.add(m.name) }));
        break;
      case Kind.Enum:
        c.values = c.values.map((v) => ({ ...v, nameOff: b.add(v.name) }));
        break;
      case Kind.Enum64:
        c.values = c.values.map((v) => ({ ...v, nameOff: b.add(v.name) }));
        break;
      case Kind.FuncProto:
        c.params = c.params.map((p) => ({ ...p, nameOff: b.add(p.name) }));
        break;
      case Kind.Datasec:
        c.vars = c.vars.map((v) => ({ ...v }));
        break;
    }
    return c;
  });
  for (const s of extra) b.add(s);
  const strings = new StringTable(b.finish());
  return { btf: new Btf({ types: out, strings, littleEndian }), offsetOf: (s) => b.add(s) };
}
