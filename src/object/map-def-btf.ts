// Single modules, not the btf barrel: the linker imports this file, and the
// barrel would load every BTF dumper too.
import type { Btf } from '../btf/btf.js';
import { Kind, kindName } from '../btf/kinds.js';
import { sizeOf, skipModsAndTypedefs } from '../btf/sizes.js';
import type { CompositeType, Member } from '../btf/types.js';
import { BpfkitError } from '../internal/errors.js';
import { isMapInMap, isProgArray, mapTypeName } from './bpf-enums.js';
import { typeDescription } from './type-names.js';
import { blankMap } from './blank-map.js';
import type { BpfMap } from './types.js';

/**
 * A BTF-defined map: the struct of `__uint`/`__type`/`__array` members that
 * a `.maps` variable has, read with the rules of libbpf's
 * parse_btf_map_def(). `__uint(name, N)` is a pointer to an array of N
 * elements; `__type(name, T)` a pointer to T; `__array(values, T)` a
 * zero-length array of pointers, last in the struct.
 */
export interface MapDefContext {
  btf: Btf;
  file: string | undefined;
  section: string;
}

const KNOWN_FIELDS = new Set([
  'type',
  'max_entries',
  'map_flags',
  'numa_node',
  'key_size',
  'key',
  'value_size',
  'value',
  'values',
  'pinning',
  'map_extra',
]);

export interface ParsedMapDef {
  map: BpfMap;
  /** Byte offset of the `values` member in the definition, if any. */
  valuesOffset: number | undefined;
}

export function parseBtfMapDef(
  ctx: MapDefContext,
  name: string,
  defTypeId: number,
  sectionIndex: number,
  sectionOffset: number,
  isInner = false,
): ParsedMapDef {
  const { btf } = ctx;
  const fail = (detail: string): never => {
    throw new BpfkitError('BAD_VALUE', `map '${name}': ${detail}`, { file: ctx.file, section: ctx.section, symbol: name });
  };
  const def = btf.type(skipModsAndTypedefs(btf, defTypeId));
  if (def === undefined || def.kind !== Kind.Struct) {
    return fail(`the definition is a ${def === undefined ? 'void' : kindLabel(def.kind)}, expected a struct`);
  }
  const map = blankMap(name, 'btf', ctx.section, sectionIndex, sectionOffset);
  let valuesOffset: number | undefined;
  let sawType = false;
  const members = (def as CompositeType).members;
  members.forEach((m, i) => {
    const field = m.name;
    if (!KNOWN_FIELDS.has(field)) fail(`unknown field '${field}' (libbpf accepts ${[...KNOWN_FIELDS].join(', ')})`);
    switch (field) {
      case 'type':
        map.type = fieldInt(ctx, name, m);
        map.typeName = mapTypeName(map.type);
        sawType = true;
        break;
      case 'max_entries':
        map.maxEntries = fieldInt(ctx, name, m);
        break;
      case 'map_flags':
        map.mapFlags = fieldInt(ctx, name, m);
        break;
      case 'numa_node':
        map.numaNode = fieldInt(ctx, name, m);
        break;
      case 'key_size':
      case 'value_size': {
        const sz = fieldInt(ctx, name, m);
        const cur = field === 'key_size' ? map.keySize : map.valueSize;
        if (cur !== 0 && cur !== sz) fail(`conflicting ${field} ${cur} != ${sz}`);
        if (field === 'key_size') map.keySize = sz;
        else map.valueSize = sz;
        break;
      }
      case 'key':
      case 'value': {
        const ptr = btf.type(skipModsAndTypedefs(btf, m.type));
        if (ptr === undefined || ptr.kind !== Kind.Ptr) return fail(`'${field}' must be a pointer (__type(${field}, T))`);
        let sz: number;
        try {
          sz = sizeOf(btf, ptr.type);
        } catch {
          return fail(`cannot determine the size of ${field} type [${ptr.type}]`);
        }
        const cur = field === 'key' ? map.keySize : map.valueSize;
        if (cur !== 0 && cur !== sz) fail(`conflicting ${field} size ${cur} != ${sz}`);
        if (field === 'key') {
          map.keySize = sz;
          map.keyTypeId = ptr.type;
          map.keyTypeName = typeDescription(btf, ptr.type);
        } else {
          map.valueSize = sz;
          map.valueTypeId = ptr.type;
          map.valueTypeName = typeDescription(btf, ptr.type);
        }
        break;
      }
      case 'values': {
        if (!sawType || !(isMapInMap(map.type) || isProgArray(map.type))) {
          fail("'values' is only for map-in-map and prog-array maps, after 'type'");
        }
        if (i !== members.length - 1) fail("'values' must be the last field");
        const arr = btf.type(m.type);
        if (arr === undefined || arr.kind !== Kind.Array || arr.nelems !== 0) {
          fail("'values' must be a zero-length array of pointers (__array(values, T))");
        }
        const ptr = btf.type(skipModsAndTypedefs(btf, (arr as { type: number }).type));
        if (ptr === undefined || ptr.kind !== Kind.Ptr) return fail("'values' elements must be pointers");
        const target = btf.type(skipModsAndTypedefs(btf, ptr.type));
        if (isProgArray(map.type)) {
          if (target === undefined || target.kind !== Kind.FuncProto) fail("prog-array 'values' must point to a function prototype");
        } else {
          if (isInner) fail('a map-in-map inner map cannot itself have values');
          if (target === undefined || target.kind !== Kind.Struct) return fail("map-in-map 'values' must point to the inner map's struct");
          map.inner = parseBtfMapDef(ctx, `${name}.inner`, target.id, sectionIndex, sectionOffset, true).map;
        }
        valuesOffset = m.bitsOffset / 8;
        // The map value of a map-in-map / prog array is an fd: 4 bytes.
        if (map.valueSize === 0) map.valueSize = 4;
        break;
      }
      case 'pinning':
        if (isInner) fail('an inner map cannot be pinned');
        map.pinning = fieldInt(ctx, name, m);
        if (map.pinning > 1) fail(`invalid pinning value ${map.pinning} (0 none, 1 by name)`);
        break;
      case 'map_extra':
        map.mapExtra = fieldLong(ctx, name, m);
        break;
    }
  });
  if (!sawType) fail("no 'type' field: the map type is not specified");
  if (isMapInMap(map.type) && map.inner === undefined) fail('a map-in-map needs an inner map definition (__array(values, ...))');
  return { map, valuesOffset };
}

/** `__uint(name, N)`: a pointer to an array of N elements; N is the value. */
function fieldInt(ctx: MapDefContext, mapName: string, m: Member): number {
  const { btf } = ctx;
  const fail = (detail: string): never => {
    throw new BpfkitError('BAD_VALUE', `map '${mapName}': attribute '${m.name}': ${detail}`, {
      file: ctx.file,
      section: ctx.section,
      symbol: mapName,
    });
  };
  const ptr = btf.type(skipModsAndTypedefs(btf, m.type));
  if (ptr === undefined || ptr.kind !== Kind.Ptr) return fail(`expected a pointer (__uint), got ${ptr === undefined ? 'void' : kindLabel(ptr.kind)}`);
  const arr = btf.type(ptr.type);
  if (arr === undefined || arr.kind !== Kind.Array) return fail(`expected a pointer to an array, got ${arr === undefined ? 'void' : kindLabel(arr.kind)}`);
  return arr.nelems;
}

/**
 * `__ulong(name, V)` (libbpf v1.4+) declares an anonymous enum whose one
 * value is V, so 64-bit values fit; `__uint` still works too.
 */
function fieldLong(ctx: MapDefContext, mapName: string, m: Member): bigint {
  const t = ctx.btf.type(skipModsAndTypedefs(ctx.btf, m.type));
  if (t !== undefined && (t.kind === Kind.Enum || t.kind === Kind.Enum64)) {
    if (t.values.length !== 1) {
      throw new BpfkitError('BAD_VALUE', `map '${mapName}': attribute '${m.name}': an __ulong enum must have exactly one value`, {
        file: ctx.file,
        section: ctx.section,
        symbol: mapName,
      });
    }
    return BigInt.asUintN(64, BigInt(t.values[0].value));
  }
  return BigInt(fieldInt(ctx, mapName, m));
}

/** libbpf's lower-case kind names in messages ("enum64", "func_proto"). */
export function kindLabel(kind: number): string {
  return kindName(kind).toLowerCase();
}
