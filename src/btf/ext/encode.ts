import { Writer } from '../../internal/writer.js';
import { BTF_MAGIC } from '../wire.js';
import type { BtfExt, ExtHeader, ExtInfo } from './types.js';

/**
 * Encode a BtfExt. String fields are written as their stored offsets (the
 * caller owns the .BTF string table). The header and sub-section placement
 * are kept while every sub-section keeps its size, so decode→encode is the
 * identity; otherwise the sub-sections are laid out back to back.
 */
export function encodeBtfExt(ext: BtfExt, opts: { littleEndian?: boolean } = {}): Uint8Array {
  const le = opts.littleEndian ?? ext.littleEndian;
  const func = encodeInfo(le, ext.funcInfo, (w, r) => w.u32(r.insnOff).u32(r.typeId));
  const line = encodeInfo(le, ext.lineInfo, (w, r) => w.u32(r.insnOff).u32(r.fileNameOff).u32(r.lineOff).u32(r.lineCol));
  const core = encodeInfo(le, ext.coreRelo, (w, r) => w.u32(r.insnOff).u32(r.typeId).u32(r.accessStrOff).u32(r.kind));
  const h = planHeader(ext.header, func.byteLength, line.byteLength, core.byteLength);

  const w = new Writer(le, h.hdrLen + func.byteLength + line.byteLength + core.byteLength);
  w.u16(BTF_MAGIC).u8(h.version).u8(h.flags).u32(h.hdrLen);
  w.u32(h.funcInfoOff).u32(h.funcInfoLen).u32(h.lineInfoOff).u32(h.lineInfoLen);
  if (h.hdrLen >= 32) w.u32(h.coreReloOff ?? 0).u32(h.coreReloLen ?? 0);
  w.bytes(h.extra);
  const place = (off: number, b: Uint8Array): void => {
    if (b.byteLength === 0) return;
    w.seek(h.hdrLen + off);
    w.bytes(b);
  };
  place(h.funcInfoOff, func);
  place(h.lineInfoOff, line);
  if (h.coreReloOff !== undefined) place(h.coreReloOff, core);
  w.seek(w.length);
  w.bytes(h.trailing);
  return w.finish();
}

function encodeInfo<R extends { tail?: Uint8Array }>(le: boolean, info: ExtInfo<R>, rec: (w: Writer, r: R) => void): Uint8Array {
  if (info.sections.length === 0) return new Uint8Array(0);
  const w = new Writer(le);
  w.u32(info.recSize);
  for (const s of info.sections) {
    w.u32(s.secNameOff).u32(s.records.length);
    for (const r of s.records) {
      const start = w.pos;
      rec(w, r);
      if (r.tail !== undefined) w.bytes(r.tail);
      // Pad records written from a model whose rec_size exceeds its fields.
      const written = w.pos - start;
      if (written < info.recSize) w.zeros(info.recSize - written);
    }
  }
  return w.finish();
}

function planHeader(orig: ExtHeader, funcLen: number, lineLen: number, coreLen: number): ExtHeader {
  const same =
    orig.funcInfoLen === funcLen && orig.lineInfoLen === lineLen && (orig.coreReloLen ?? 0) === coreLen;
  if (same) return orig;
  const hdrLen = coreLen > 0 ? Math.max(orig.hdrLen, 32) : orig.hdrLen;
  const h: ExtHeader = {
    ...orig,
    hdrLen,
    funcInfoOff: 0,
    funcInfoLen: funcLen,
    lineInfoOff: funcLen,
    lineInfoLen: lineLen,
  };
  if (hdrLen >= 32) {
    h.coreReloOff = funcLen + lineLen;
    h.coreReloLen = coreLen;
  }
  return h;
}
