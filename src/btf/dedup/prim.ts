import { Kind } from '../kinds.js';
import { commonKey, compatEnum, enumKey, equalCommon, equalEnum, equalIntTag, intTagKey, isEnumFwd } from './keys.js';
import type { ViewType } from './types-view.js';
import type { BtfType } from '../types.js';
import type { DedupState } from './state.js';

/**
 * Pass 1 over own types in id order: INT, FLOAT, FWD, ENUM and ENUM64,
 * which refer to no other type. Equal types map to the first one seen. An
 * enum forward declaration (no enumerators) maps to a compatible full enum
 * already seen; a full enum seen after a compatible canonical forward
 * declaration takes that declaration over (the declaration maps to it).
 */
export function dedupPrimTypes(d: DedupState): void {
  const { view, map, table } = d;
  for (let id = view.firstId; id < view.count; id++) {
    const t = view.ownType(id);
    let newId = id;
    let key: number;
    switch (t.kind) {
      case Kind.Int:
        key = intTagKey(t, d.nameId);
        newId = firstEqual(d, key, t, equalIntTag) ?? id;
        break;
      case Kind.Fwd:
      case Kind.Float:
        key = commonKey(t, d.nameId);
        newId = firstEqual(d, key, t, equalCommon) ?? id;
        break;
      case Kind.Enum:
      case Kind.Enum64:
        key = enumKey(t, d.nameId);
        const cands = table.candidates(key);
        for (let i = cands.length - 1; i >= 0; i--) {
          const cand = cands[i];
          d.spend(id);
          const c = view.type(cand);
          if (equalEnum(t, c)) {
            newId = cand;
            break;
          }
          if (compatEnum(t, c)) {
            if (isEnumFwd(t)) {
              newId = cand;
              break;
            }
            map[cand] = id;
          }
        }
        break;
      default:
        continue;
    }
    map[id] = newId;
    if (newId === id) table.add(key, id);
  }
}

/** The first candidate (in libbpf's order) equal to `t`. */
export function firstEqual(d: DedupState, key: number, t: BtfType, equal: (a: BtfType, b: ViewType) => boolean): number | undefined {
  const cands = d.table.candidates(key);
  for (let i = cands.length - 1; i >= 0; i--) {
    d.spend(t.id);
    if (equal(t, d.view.type(cands[i]))) return cands[i];
  }
  return undefined;
}
