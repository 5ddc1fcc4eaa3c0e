import { mapTypeName } from './bpf-enums.js';
import type { BpfMap } from './types.js';

/** A map with every attribute at its default, for the parsers to fill in. */
export function blankMap(name: string, kind: BpfMap['kind'], section: string, sectionIndex: number, sectionOffset: number): BpfMap {
  return {
    name,
    kind,
    section,
    sectionIndex,
    sectionOffset,
    type: 0,
    typeName: mapTypeName(0),
    keySize: 0,
    valueSize: 0,
    maxEntries: 0,
    mapFlags: 0,
    numaNode: 0,
    pinning: 0,
    mapExtra: 0n,
    keyTypeId: 0,
    valueTypeId: 0,
    keyTypeName: undefined,
    valueTypeName: undefined,
    inner: undefined,
    initialValues: [],
  };
}
