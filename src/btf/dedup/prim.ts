import { Kind } from '../kinds.js';
import { commonKey, compatEnum, enumKey, equalCommon, equalEnum, equalIntTag, intTagKey, isEnumFwd } from './keys.js';
import type { DedupRecords } from './records.js';
import type { DedupState } from './state.js';

/**
 * Pass 1 over own types in id order: INT, FLOAT, FWD, ENUM and ENUM64,
 * which refer to no other type. Equal types map to the first one seen. An
 * enum forward declaration (no enumerators) maps to a compatible full enum
 * already seen; a full enum seen after a compatible canonical forward
 * declaration takes that declaration over (the declaration maps to it).
 */
export function dedupPrimTypes(d: DedupState): void {
  const { recs, map, table } = d;
  const { words, off } = recs;
  for (let id = recs.firstId; id < recs.count; id++) {
    let newId = id;
    let key: number;
    // The kind read inline: this loop visits every type, mostly before V8
    // optimises it, and a call per type costs more than the read.
    switch ((words[off[id] + 1] >>> 24) & 0x7f) {
      case Kind.Int:
        key = intTagKey(recs, id);
        newId = firstEqual(d, key, id, equalIntTag);
        break;
      case Kind.Fwd:
      case Kind.Float:
        key = commonKey(recs, id);
        newId = firstEqual(d, key, id, equalCommon);
        break;
      case Kind.Enum:
      case Kind.Enum64: {
        key = enumKey(recs, id);
        for (let e = table.first(key); e >= 0; e = table.next(e)) {
          const cand = table.id(e);
          d.spend(id);
          if (equalEnum(recs, id, cand)) {
            newId = cand;
            break;
          }
          if (compatEnum(recs, id, cand)) {
            if (isEnumFwd(recs, id)) {
              newId = cand;
              break;
            }
            map[cand] = id;
          }
        }
        break;
      }
      default:
        continue;
    }
    map[id] = newId;
    if (newId === id) table.add(key, id);
  }
}

/** The first candidate (in libbpf's order) equal to `id`, else `id`. */
export function firstEqual(d: DedupState, key: number, id: number, equal: (r: DedupRecords, a: number, b: number) => boolean): number {
  const table = d.table;
  for (let e = table.first(key); e >= 0; e = table.next(e)) {
    d.spend(id);
    const cand = table.id(e);
    if (equal(d.recs, id, cand)) return cand;
  }
  return id;
}
