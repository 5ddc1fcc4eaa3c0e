import { BpfkitError } from '../../internal/errors.js';
import { Kind } from '../kinds.js';
import { compactAndRemap } from './compact.js';
import { arrayKey, commonKey, enumKey, fnProtoKey, intTagKey, structKey } from './keys.js';
import { dedupPrimTypes } from './prim.js';
import type { DedupRecords } from './records.js';
import { dedupRefTypes } from './refs.js';
import { DedupState } from './state.js';
import { dedupStructTypes } from './structs.js';

/**
 * The type passes over built records: primitive types, then
 * structs/unions, then reference types, then compaction. Returns the own
 * ids kept (in order: they get ids from recs.firstId on) and old id -> new
 * id. Names are left alone (string passes work on the records' string
 * numbers, before or after this).
 */
export function runTypePasses(recs: DedupRecords, file: string | undefined, maxWalkSteps: number | undefined): { kept: number[]; typeMap: Uint32Array } {
  const d = new DedupState(recs, file, maxWalkSteps);
  seedWithBase(d);
  dedupPrimTypes(d);
  dedupStructTypes(d);
  dedupRefTypes(d);
  return compactAndRemap(d);
}

/** Run `f`, turning failures into located BpfkitErrors (a typed array too
 * large to allocate is TOO_LARGE, not a crash). */
export function withDedupErrors<T>(file: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BpfkitError) throw e.locate({ file });
    if (e instanceof RangeError) {
      throw new BpfkitError('TOO_LARGE', `BTF too large to deduplicate: ${e.message}`, { file });
    }
    throw e;
  }
}

/** Split BTF: base types are candidates (they come first in every bucket's
 * history), except VAR and DATASEC which are never deduplicated. */
function seedWithBase(d: DedupState): void {
  const r = d.recs;
  for (let id = 1; id < r.firstId; id++) {
    const key = baseKey(r, id);
    if (key !== undefined) d.table.add(key, id);
  }
}

function baseKey(r: DedupRecords, id: number): number | undefined {
  switch (r.kind(id)) {
    case Kind.Var:
    case Kind.Datasec:
      return undefined;
    case Kind.Int:
    case Kind.DeclTag:
      return intTagKey(r, id);
    case Kind.Enum:
    case Kind.Enum64:
      return enumKey(r, id);
    case Kind.Struct:
    case Kind.Union:
      return structKey(r, id);
    case Kind.Array:
      return arrayKey(r, id);
    case Kind.FuncProto:
      return fnProtoKey(r, id);
    default:
      return commonKey(r, id);
  }
}
