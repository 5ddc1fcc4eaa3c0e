import { SHF_EXECINSTR, SHT_NOBITS, SHT_PROGBITS, SHT_REL } from '../elf/index.js';
import { linkError } from './errors.js';
import type { InputObject, InputSection, LinkState, OutSection } from './model.js';

/**
 * Stage 2 (libbpf: linker_append_sec_data): data and code sections of the
 * same name are concatenated in input order, each input part aligned to its
 * own alignment, the output taking the largest. NOBITS sections only grow.
 * `license` and `version` must be identical in every input and are kept once.
 */
export function appendSections(state: LinkState, obj: InputObject): void {
  for (const src of obj.sections) {
    if (src.skipped || (src.type !== SHT_PROGBITS && src.type !== SHT_NOBITS)) continue;
    let dst = findOutSection(state, src.name);
    if (dst === undefined) {
      dst = newOutSection(state, src);
    } else {
      checkCompatible(state, dst, src, obj);
      if (!dst.ephemeral && !src.ephemeral && (src.name === 'license' || src.name === 'version')) {
        if (!sameBytes(dst, src)) {
          throw linkError(
            'BAD_VALUE',
            `section '${src.name}' differs from the one in an earlier input (${describe(dst)} vs ${describe(src)}); every input must declare the same ${src.name}`,
            { file: obj.name, section: src.name },
          );
        }
        src.skipped = true;
        src.outId = dst.id;
        continue;
      }
    }
    src.outId = dst.id;
    extend(dst, src);
  }
}

export function findOutSection(state: LinkState, name: string): OutSection | undefined {
  return state.sections.find((s) => s.name === name);
}

export function newOutSection(state: LinkState, src: InputSection): OutSection {
  const dst: OutSection = {
    id: state.sections.length,
    name: src.name,
    type: src.type,
    flags: src.flags,
    entsize: src.entsize,
    align: src.ephemeral ? 0 : src.align,
    size: 0,
    bytes: new Uint8Array(0),
    ephemeral: src.ephemeral,
    isRel: src.type === SHT_REL,
    relocs: [],
    hasBtf: false,
    datasec: [],
  };
  state.sections.push(dst);
  return dst;
}

function checkCompatible(state: LinkState, dst: OutSection, src: InputSection, obj: InputObject): void {
  if (dst.ephemeral || src.ephemeral) return;
  const what =
    dst.type !== src.type ? 'section types' : dst.flags !== src.flags ? 'section flags' : dst.entsize !== src.entsize ? 'entry sizes' : undefined;
  if (what !== undefined) {
    throw linkError(
      'BAD_VALUE',
      `'${src.name}' cannot be merged with the section of the same name in an earlier input: their ${what} differ (${sectionTraits(dst)} vs ${sectionTraits(src)}; first seen in ${state.firstFile ?? 'an earlier input'})`,
      { file: obj.name, section: src.name },
    );
  }
}

function sectionTraits(s: { type: number; flags: bigint; entsize: number }): string {
  const code = (s.flags & SHF_EXECINSTR) !== 0n ? ' code' : '';
  return `type ${s.type}${code}, flags 0x${s.flags.toString(16)}, entsize ${s.entsize}`;
}

function describe(s: { bytes?: Uint8Array; data?: Uint8Array; size: number }): string {
  const b = s.data ?? s.bytes!.subarray(0, s.size);
  const text = Buffer.from(b).toString('latin1').replace(/\0+$/, '');
  return /^[\x20-\x7e]*$/.test(text) ? `"${text}"` : `${b.byteLength} bytes`;
}

function sameBytes(dst: OutSection, src: InputSection): boolean {
  if (dst.size !== src.size) return false;
  for (let i = 0; i < src.size; i++) if (dst.bytes[i] !== src.data[i]) return false;
  return true;
}

/** Larger merged sections are a forged header, not a BPF object. */
const MAX_SECTION_SIZE = 0x7fff_ffff;

/** Append src at its aligned offset (libbpf: extend_sec). */
export function extend(dst: OutSection, src: InputSection): void {
  if (src.ephemeral) return;
  if (dst.ephemeral) {
    // A section seen only as a DATASEC so far (extern maps) gets real bytes.
    dst.ephemeral = false;
    dst.type = src.type;
    dst.flags = src.flags;
    dst.entsize = src.entsize;
    dst.align = src.align;
  }
  const align = Math.max(dst.align, src.align, 1);
  const start = Math.ceil(dst.size / align) * align;
  const end = start + src.size;
  if (!Number.isSafeInteger(end) || end > MAX_SECTION_SIZE) {
    throw linkError('TOO_LARGE', `merged section '${dst.name}' would be ${end} bytes (alignment ${align})`, { section: src.name });
  }
  if (src.type !== SHT_NOBITS) {
    if (end > dst.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(end, dst.bytes.byteLength * 2));
      grown.set(dst.bytes.subarray(0, dst.size));
      dst.bytes = grown;
    }
    dst.bytes.set(src.data, start);
  }
  dst.size = end;
  dst.align = align;
  src.outOffset = start;
}

/** The output bytes of a section (trimmed to its size). */
export function sectionBytes(s: OutSection): Uint8Array {
  return s.bytes.subarray(0, s.size);
}
