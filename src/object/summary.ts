import type { BpfMap, BpfObject } from './types.js';

/**
 * The JSON form of `bpfkit inspect --json`: a stable, documented schema
 * (docs/inspect-json.md). Version it when a field changes meaning; adding
 * fields keeps the version.
 */
export const INSPECT_SCHEMA = 'bpfkit.inspect/1';

export interface MapSummary {
  name: string;
  kind: BpfMap['kind'];
  section: string;
  type: string;
  typeId: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  numaNode: number;
  pinning: 'none' | 'by_name' | number;
  mapExtra: string;
  key: { typeId: number; type: string } | null;
  value: { typeId: number; type: string } | null;
  inner: MapSummary | null;
  initialValues: { slot: number; target: string }[];
}

export interface InspectSummary {
  schema: typeof INSPECT_SCHEMA;
  file: string | null;
  byteOrder: 'little' | 'big';
  license: string | null;
  kernelVersion: number | null;
  programs: {
    name: string;
    section: string;
    type: string | null;
    typeId: number | null;
    attachType: string | null;
    attachTypeId: number;
    attachTarget: string | null;
    autoload: boolean;
    insnOffset: number;
    insnCount: number;
    flags: number;
    secDef: string | null;
    calls: string[];
  }[];
  subprograms: { name: string; section: string; insnOffset: number; insnCount: number; global: boolean }[];
  maps: MapSummary[];
  globals: {
    section: string;
    size: number;
    readonly: boolean;
    sizeFixedUp: boolean;
    variables: { name: string; offset: number; size: number; type: string; typeId: number; linkage: string }[];
  }[];
  externs: { name: string; kind: string; weak: boolean; typeId: number | null; type: string | null; kconfigType: string | null }[];
  relocations: { total: number; byKind: Record<string, number> };
  coreRelocations: number;
  specialSections: { name: string; kind: string }[];
  warnings: string[];
}

function mapSummary(m: BpfMap): MapSummary {
  return {
    name: m.name,
    kind: m.kind,
    section: m.section,
    type: m.typeName,
    typeId: m.type,
    keySize: m.keySize,
    valueSize: m.valueSize,
    maxEntries: m.maxEntries,
    flags: m.mapFlags,
    numaNode: m.numaNode,
    pinning: m.pinning === 0 ? 'none' : m.pinning === 1 ? 'by_name' : m.pinning,
    mapExtra: m.mapExtra.toString(),
    key: m.keyTypeId !== 0 ? { typeId: m.keyTypeId, type: m.keyTypeName ?? '' } : null,
    value: m.valueTypeId !== 0 ? { typeId: m.valueTypeId, type: m.valueTypeName ?? '' } : null,
    inner: m.inner !== undefined ? mapSummary(m.inner) : null,
    initialValues: m.initialValues,
  };
}

export function summarize(o: BpfObject): InspectSummary {
  const byKind: Record<string, number> = {};
  for (const r of o.relocations) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  return {
    schema: INSPECT_SCHEMA,
    file: o.file ?? null,
    byteOrder: o.littleEndian ? 'little' : 'big',
    license: o.license ?? null,
    kernelVersion: o.kernelVersion ?? null,
    programs: o.programs.map((p) => ({
      name: p.name,
      section: p.section,
      type: p.typeName ?? null,
      typeId: p.type ?? null,
      attachType: p.expectedAttachTypeName ?? null,
      attachTypeId: p.expectedAttachType,
      attachTarget: p.attachTarget ?? null,
      autoload: p.autoload,
      insnOffset: p.insnOffset,
      insnCount: p.insnCount,
      flags: p.progFlags,
      secDef: p.secDef ?? null,
      calls: p.calls,
    })),
    subprograms: o.subprograms.map((s) => ({ name: s.name, section: s.section, insnOffset: s.insnOffset, insnCount: s.insnCount, global: s.global })),
    maps: o.maps.map(mapSummary),
    globals: o.dataSections.map((d) => ({
      section: d.name,
      size: d.size,
      readonly: d.readonly,
      sizeFixedUp: d.sizeFixedUp,
      variables: d.variables.map((v) => ({ name: v.name, offset: v.offset, size: v.size, type: v.typeName, typeId: v.typeId, linkage: v.linkage })),
    })),
    externs: o.externs.map((e) => ({
      name: e.name,
      kind: e.kind,
      weak: e.weak,
      typeId: e.typeId ?? null,
      type: e.typeName ?? null,
      kconfigType: e.kconfigType ?? null,
    })),
    relocations: { total: o.relocations.length, byKind },
    coreRelocations: o.coreRelocationCount,
    specialSections: o.specialSections,
    warnings: o.warnings,
  };
}

/** The human-readable `bpfkit inspect` report. */
export function formatInspect(s: InspectSummary): string {
  const out: string[] = [];
  out.push(`${s.file ?? '(object)'}: ${s.byteOrder}-endian BPF object, license ${s.license === null ? '(none)' : JSON.stringify(s.license)}` + (s.kernelVersion !== null ? `, version 0x${s.kernelVersion.toString(16)}` : ''));
  out.push('', `programs (${s.programs.length}):`);
  for (const p of s.programs) {
    const type = p.type === null ? 'unknown type' : p.type + (p.attachType !== null ? `/${p.attachType}` : '');
    out.push(`  ${p.name}  SEC("${p.autoload ? '' : '?'}${p.section}")  ${type}  ${p.insnCount} insns${p.autoload ? '' : '  autoload off'}${p.flags !== 0 ? `  flags 0x${p.flags.toString(16)}` : ''}`);
    if (p.calls.length > 0) out.push(`      calls ${p.calls.join(', ')}`);
  }
  if (s.subprograms.length > 0) {
    out.push('', `sub-programs (${s.subprograms.length}):`);
    for (const f of s.subprograms) out.push(`  ${f.name}  ${f.section}+${f.insnOffset}  ${f.insnCount} insns  ${f.global ? 'global' : 'static'}`);
  }
  out.push('', `maps (${s.maps.length}):`);
  const mapLine = (m: MapSummary, indent: string): void => {
    const part = (what: string, t: { type: string } | null, size: number): string => `${what} ${t !== null ? `${t.type} (${size})` : `${size} bytes`}`;
    const kv = `${part('key', m.key, m.keySize)}, ${part('value', m.value, m.valueSize)}`;
    const extras: string[] = [];
    if (m.flags !== 0) extras.push(`flags 0x${m.flags.toString(16)}`);
    if (m.pinning !== 'none') extras.push(`pinning ${m.pinning}`);
    if (m.numaNode !== 0) extras.push(`numa ${m.numaNode}`);
    if (m.mapExtra !== '0') extras.push(`map_extra ${m.mapExtra}`);
    if (m.kind !== 'btf') extras.push(m.kind);
    out.push(`${indent}${m.name}  ${m.type}  ${kv}  max_entries ${m.maxEntries}${extras.length ? '  ' + extras.join(', ') : ''}`);
    if (m.initialValues.length > 0) out.push(`${indent}    values: ${m.initialValues.map((v) => `[${v.slot}] ${v.target}`).join(', ')}`);
    if (m.inner !== null) mapLine(m.inner, indent + '    inner: ');
  };
  for (const m of s.maps) mapLine(m, '  ');
  if (s.globals.length > 0) {
    out.push('', 'global data:');
    for (const g of s.globals) {
      out.push(`  ${g.section}  ${g.size} bytes${g.readonly ? '  read-only' : ''}`);
      for (const v of g.variables) out.push(`    +${v.offset}  ${v.name}: ${v.type} (${v.size})${v.linkage !== 'global' ? '  ' + v.linkage : ''}`);
    }
  }
  if (s.externs.length > 0) {
    out.push('', `externs (${s.externs.length}):`);
    for (const e of s.externs) out.push(`  ${e.name}  ${e.kind}${e.kconfigType !== null ? ` (${e.kconfigType})` : ''}${e.weak ? '  weak' : ''}${e.type !== null ? '  ' + e.type : ''}`);
  }
  const kinds = Object.entries(s.relocations.byKind).map(([k, n]) => `${k} ${n}`);
  out.push('', `relocations: ${s.relocations.total}${kinds.length ? ' (' + kinds.join(', ') + ')' : ''}; CO-RE relocations: ${s.coreRelocations}`);
  for (const x of s.specialSections) out.push(`section ${x.name}: ${x.kind}`);
  for (const w of s.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
