import { BpfkitError, withLocation } from '../../internal/errors.js';
import { Reader } from '../../internal/reader.js';
import type { Btf } from '../btf.js';
import { btfByteOrder, BTF_MAGIC } from '../wire.js';
import type { BtfExt, CoreRelo, ExtHeader, ExtInfo, ExtSection, FuncInfo, LineInfo } from './types.js';

export interface ParseBtfExtOptions {
  /** The object's .BTF, to resolve section names, file names and access
   * strings. Without it names are left empty and only offsets are kept. */
  btf?: Btf;
  file?: string;
  fileOffset?: number;
}

const FUNC_INFO_MIN = 8;
const LINE_INFO_MIN = 16;
const CORE_RELO_MIN = 16;

/**
 * Decode a `.BTF.ext` section: the 24-byte header of older compilers or the
 * 32-byte one with CO-RE relocations. Record sizes larger than known are
 * accepted (the extra bytes are kept); smaller ones are an error.
 */
export function parseBtfExt(bytes: Uint8Array, opts: ParseBtfExtOptions = {}): BtfExt {
  return withLocation({ file: opts.file, section: '.BTF.ext', baseOffset: opts.fileOffset ?? 0 }, () => {
    const order = btfByteOrder(bytes);
    if (order === undefined) throw new BpfkitError('BAD_MAGIC', 'not .BTF.ext: bad magic', { offset: 0 });
    const r = new Reader(bytes, order === 'le');
    const header = readHeader(r);
    const str = (off: number, at: number, what: string): string => {
      if (opts.btf === undefined) return '';
      try {
        return opts.btf.str(off);
      } catch {
        throw new BpfkitError('OUT_OF_RANGE', `${what} string offset ${off} is outside the .BTF string table`, {
          offset: at,
        });
      }
    };
    const funcInfo = readInfo<FuncInfo>(r, header, header.funcInfoOff, header.funcInfoLen, FUNC_INFO_MIN, 'func_info', str, (v, p, tail) => ({
      insnOff: v.u32At(p),
      typeId: v.u32At(p + 4),
      ...tail,
    }));
    const lineInfo = readInfo<LineInfo>(r, header, header.lineInfoOff, header.lineInfoLen, LINE_INFO_MIN, 'line_info', str, (v, p, tail) => {
      const fileNameOff = v.u32At(p + 4);
      const lineOff = v.u32At(p + 8);
      return {
        insnOff: v.u32At(p),
        fileNameOff,
        lineOff,
        lineCol: v.u32At(p + 12),
        fileName: str(fileNameOff, v.base + p + 4, 'line_info file name'),
        line: str(lineOff, v.base + p + 8, 'line_info line'),
        ...tail,
      };
    });
    const coreRelo =
      header.coreReloLen !== undefined
        ? readInfo<CoreRelo>(r, header, header.coreReloOff!, header.coreReloLen, CORE_RELO_MIN, 'core_relo', str, (v, p, tail) => {
            const accessStrOff = v.u32At(p + 8);
            return {
              insnOff: v.u32At(p),
              typeId: v.u32At(p + 4),
              accessStrOff,
              accessStr: str(accessStrOff, v.base + p + 8, 'CO-RE access'),
              kind: v.u32At(p + 12),
              ...tail,
            };
          })
        : { recSize: 0, sections: [] };
    return { littleEndian: r.littleEndian, header, funcInfo, lineInfo, coreRelo };
  });
}

function readHeader(r: Reader): ExtHeader {
  r.seek(0);
  const magic = r.u16();
  if (magic !== BTF_MAGIC) throw new BpfkitError('BAD_MAGIC', 'not .BTF.ext: bad magic', { offset: 0 });
  const version = r.u8();
  if (version !== 1) throw new BpfkitError('BAD_VERSION', `.BTF.ext version ${version} is not supported`, { offset: 2 });
  const flags = r.u8();
  const hdrLen = r.u32();
  if (hdrLen < 24) throw new BpfkitError('BAD_VALUE', `.BTF.ext hdr_len ${hdrLen} is shorter than 24`, { offset: 4 });
  r.need(hdrLen, 0, '.BTF.ext header');
  const h: ExtHeader = {
    version,
    flags,
    hdrLen,
    funcInfoOff: r.u32(),
    funcInfoLen: r.u32(),
    lineInfoOff: r.u32(),
    lineInfoLen: r.u32(),
    extra: new Uint8Array(0),
    trailing: new Uint8Array(0),
  };
  let known = 24;
  if (hdrLen >= 32) {
    h.coreReloOff = r.u32();
    h.coreReloLen = r.u32();
    known = 32;
  }
  if (hdrLen > known) h.extra = r.bytes.slice(known, hdrLen);
  // Sub-section bounds are checked when each is read; here only find where
  // the described bytes end.
  let end = hdrLen;
  for (const [o, l] of [
    [h.funcInfoOff, h.funcInfoLen],
    [h.lineInfoOff, h.lineInfoLen],
    [h.coreReloOff ?? 0, h.coreReloLen ?? 0],
  ]) {
    if (l > 0) end = Math.max(end, hdrLen + o + l);
  }
  if (end < r.length) h.trailing = r.bytes.slice(end);
  return h;
}

type Str = (off: number, at: number, what: string) => string;

function readInfo<R>(
  r: Reader,
  h: ExtHeader,
  off: number,
  len: number,
  minRec: number,
  what: string,
  str: Str,
  rec: (v: Reader, p: number, tail: { tail?: Uint8Array }) => R,
): ExtInfo<R> {
  if (len === 0) return { recSize: 0, sections: [] };
  const start = h.hdrLen + off;
  if (start > r.length || len > r.length - start) {
    throw new BpfkitError('TRUNCATED', `${what} [${off}, +${len}) after the header runs past the end (${r.length} bytes)`, {
      offset: Math.min(start, r.length),
    });
  }
  const v = r.sub(start, len, what);
  const recSize = v.u32();
  if (recSize < minRec || recSize % 4 !== 0) {
    throw new BpfkitError('BAD_VALUE', `${what} record size ${recSize} is invalid (needs >= ${minRec}, multiple of 4)`, {
      offset: start,
    });
  }
  const sections: ExtSection<R>[] = [];
  while (v.remaining > 0) {
    const at = v.pos;
    const secNameOff = v.u32();
    const n = v.u32();
    if (n === 0) throw new BpfkitError('BAD_VALUE', `${what} section with zero records`, { offset: start + at });
    if (n > v.remaining / recSize) {
      throw new BpfkitError('TOO_LARGE', `${what} section claims ${n} records of ${recSize} bytes, only ${v.remaining} bytes remain`, {
        offset: start + at + 4,
      });
    }
    const secName = str(secNameOff, start + at, `${what} section name`);
    const records: R[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = v.pos;
      const tail = recSize > minRec ? { tail: v.bytes.slice(p + minRec, p + recSize) } : {};
      records[i] = rec(v, p, tail);
      v.pos += recSize;
    }
    sections.push({ secName, secNameOff, records });
  }
  return { recSize, sections };
}
