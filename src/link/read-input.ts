import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BpfkitError } from '../internal/errors.js';
import { readBytes } from '../internal/files.js';

/**
 * Read a linker input, leaving out the bytes of the sections the linker
 * ignores anyway (DWARF: `.debug_*` and their `.rel.debug_*`). clang -g
 * objects are mostly DWARF (a 640 KB object of the link benchmark has 27 KB
 * of BTF and under 1 KB of code), so this reads a few percent of the file.
 *
 * The result has the file's length and every byte at its file offset; the
 * skipped ranges are zeros. Anything unexpected in the ELF header or the
 * section headers (not ELF64, extended numbering, a range past the end of
 * the file) falls back to reading the whole file, so that readElf sees the
 * real bytes and reports the problem exactly as it would otherwise.
 */
export function readLinkInput(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return readBytes(path); // the same error as for any other read
  }
  try {
    return readSparse(fd) ?? readBytes(path);
  } catch (e) {
    if (e instanceof BpfkitError) throw e;
    return readBytes(path);
  } finally {
    closeSync(fd);
  }
}

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SHT_PROGBITS = 1;
const SHT_REL = 9;
const SHT_NOBITS = 8;
const MERGE_GAP = 16 << 10;
const DEBUG = Buffer.from('.debug_', 'latin1');
const REL_DEBUG = Buffer.from('.rel.debug_', 'latin1');

function readSparse(fd: number): Uint8Array | undefined {
  const size = fstatSync(fd).size;
  if (!Number.isSafeInteger(size) || size < EHDR_SIZE || size > 0x7fff_ffff) return undefined;
  const out = new Uint8Array(size);
  const fill = (off: number, len: number): boolean => {
    if (off < 0 || len < 0 || off > size || len > size - off) return false;
    let done = 0;
    while (done < len) {
      const n = readSync(fd, out, off + done, len - done, off + done);
      if (n <= 0) return false;
      done += n;
    }
    return true;
  };
  if (!fill(0, EHDR_SIZE)) return undefined;
  // ELF64 ("\x7fELF", class 2) in either byte order.
  if (out[0] !== 0x7f || out[1] !== 0x45 || out[2] !== 0x4c || out[3] !== 0x46 || out[4] !== 2) return undefined;
  const le = out[5] === 1;
  if (!le && out[5] !== 2) return undefined;
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const u16 = (p: number): number => v.getUint16(p, le);
  const u32 = (p: number): number => v.getUint32(p, le);
  // -1 for values past 2^53 (any such offset or size is out of range).
  const u64 = (p: number): number => {
    const lo = v.getUint32(le ? p : p + 4, le);
    const hi = v.getUint32(le ? p + 4 : p, le);
    return hi >= 0x200000 ? -1 : hi * 0x1_0000_0000 + lo;
  };

  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);
  if (shoff <= 0 || shentsize !== SHDR_SIZE || shnum === 0 || shstrndx === 0 || shstrndx >= shnum) return undefined;
  if (!fill(shoff, shnum * SHDR_SIZE)) return undefined;
  if (phnum !== 0 && !fill(phoff, phnum * phentsize)) return undefined;

  // Each section header read once: name offset, type, file range, link.
  const shName = new Uint32Array(shnum);
  const shType = new Uint32Array(shnum);
  const shOffset = new Float64Array(shnum);
  const shSize = new Float64Array(shnum);
  // A section another one links to (a string table) is always read, whatever its name.
  const linked = new Uint8Array(shnum);
  for (let i = 0; i < shnum; i++) {
    const p = shoff + i * SHDR_SIZE;
    shName[i] = u32(p);
    shType[i] = u32(p + 4);
    shOffset[i] = u64(p + 24);
    shSize[i] = u64(p + 32);
    const link = u32(p + 40);
    if (i > 0 && link < shnum) linked[link] = 1;
  }
  const names = { type: shType[shstrndx], offset: shOffset[shstrndx], size: shSize[shstrndx] };
  if (names.type === SHT_NOBITS || !fill(names.offset, names.size)) return undefined;
  /** Whether the name at `off` starts with `prefix` (ASCII); undefined
   * when there is no NUL-terminated name there. Compared as bytes: decoding
   * every section name cost more than reading the sections. */
  const nameStarts = (off: number, prefix: Uint8Array): boolean | undefined => {
    if (off >= names.size) return undefined;
    const start = names.offset + off;
    const end = out.indexOf(0, start);
    if (end < 0 || end >= names.offset + names.size) return undefined;
    if (end - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (out[start + i] !== prefix[i]) return false;
    return true;
  };
  // Ranges to read, as [start, end) pairs.
  const ranges: number[][] = [];
  for (let i = 1; i < shnum; i++) {
    if (i === shstrndx) continue;
    const type = shType[i];
    if (type === SHT_NOBITS) continue;
    const isDebug = nameStarts(shName[i], type === SHT_REL ? REL_DEBUG : DEBUG);
    if (isDebug === undefined) return undefined;
    const offset = shOffset[i];
    const len = shSize[i];
    if (offset < 0 || len < 0 || offset > size || len > size - offset) return undefined;
    const dwarf = (type === SHT_PROGBITS || type === SHT_REL) && isDebug;
    // DWARF is ignored by the linker; only its extent matters (readElf checks it).
    if (!dwarf || linked[i] === 1) ranges.push([offset, offset + len]);
  }
  // Neighbouring sections are read in one call: a small gap costs less
  // than another system call.
  ranges.sort((a, b) => a[0] - b[0]);
  for (let k = 0; k < ranges.length; ) {
    const start = ranges[k][0];
    let end = ranges[k][1];
    for (k++; k < ranges.length && ranges[k][0] <= end + MERGE_GAP; k++) end = Math.max(end, ranges[k][1]);
    if (!fill(start, end - start)) return undefined;
  }
  return out;
}
