import type { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';
import { skipModsAndTypedefs } from '../btf/sizes.js';
import type { BpfMap } from '../object/types.js';
import { parseBtfMapDef } from '../object/map-def-btf.js';
import { btfMismatch } from './btf-match.js';

/**
 * An extern map must be declared exactly like its definition (libbpf's
 * map_defs_match): same type, key and value (sizes and, when given, BTF
 * types compared exactly), max_entries, map_flags, numa_node, pinning and
 * inner map. Returns undefined when they match, else what differs, as
 * "attribute: a vs b".
 */
export function mapDefMismatch(name: string, btf1: Btf, var1: number, file1: string, btf2: Btf, var2: number, file2: string): string | undefined {
  const def1 = parseDef(name, btf1, var1, file1);
  const def2 = parseDef(name, btf2, var2, file2);
  return compare(name, btf1, def1, btf2, def2);
}

function parseDef(name: string, btf: Btf, varId: number, file: string): BpfMap {
  const v = btf.type(varId);
  if (v === undefined || v.kind !== Kind.Var) throw new Error(`map '${name}' is not a variable`);
  return parseBtfMapDef({ btf, file, section: '.maps' }, name, skipModsAndTypedefs(btf, v.type), 0, 0).map;
}

function compare(name: string, btf1: Btf, a: BpfMap, btf2: Btf, b: BpfMap): string | undefined {
  const diff = (what: string, x: unknown, y: unknown): string => `${what} ${String(x)} vs ${String(y)}`;
  if (a.type !== b.type) return diff('type', `${a.typeName}`, `${b.typeName}`);
  if (a.keySize !== b.keySize) return diff('key size', a.keySize, b.keySize);
  if ((a.keyTypeId !== 0) !== (b.keyTypeId !== 0)) return `key: declared with __type(key, ...) in one and __uint(key_size, ...) in the other`;
  if (a.keyTypeId !== 0) {
    const why = btfMismatch(name, true, btf1, a.keyTypeId, btf2, b.keyTypeId);
    if (why !== undefined) return `key type: ${why}`;
  }
  if (a.valueSize !== b.valueSize) return diff('value size', a.valueSize, b.valueSize);
  if ((a.valueTypeId !== 0) !== (b.valueTypeId !== 0)) return `value: declared with __type(value, ...) in one and __uint(value_size, ...) in the other`;
  if (a.valueTypeId !== 0) {
    const why = btfMismatch(name, true, btf1, a.valueTypeId, btf2, b.valueTypeId);
    if (why !== undefined) return `value type: ${why}`;
  }
  if (a.maxEntries !== b.maxEntries) return diff('max_entries', a.maxEntries, b.maxEntries);
  if (a.mapFlags !== b.mapFlags) return diff('map_flags', a.mapFlags, b.mapFlags);
  if (a.numaNode !== b.numaNode) return diff('numa_node', a.numaNode, b.numaNode);
  if (a.pinning !== b.pinning) return diff('pinning', a.pinning, b.pinning);
  if ((a.inner !== undefined) !== (b.inner !== undefined)) return `inner map: present in one and absent in the other`;
  if (a.inner !== undefined && b.inner !== undefined) {
    const why = compare(`${name}.inner`, btf1, a.inner, btf2, b.inner);
    if (why !== undefined) return `inner map ${why}`;
  }
  return undefined;
}
