import type { ExtInfo } from '../btf/ext/types.js';
import { linkError } from './errors.js';
import type { ExtRecords, InputObject, LinkState } from './model.js';

/**
 * Stage 6 (libbpf: linker_append_btf_ext): func_info, line_info and CO-RE
 * records follow their section: instruction offsets move by where this
 * input's part of the section starts, type ids go through the input's
 * type map (and later through dedup's). Strings stay strings here and get
 * offsets in the output string table at the end.
 */
export function appendBtfExt(state: LinkState, obj: InputObject): void {
  const ext = obj.ext;
  if (ext === undefined) return;
  const map = obj.typeMap;
  append(state, obj, ext.funcInfo, 'funcInfo', (r, off) => ({ ...r, insnOff: r.insnOff + off, typeId: map[r.typeId] }));
  append(state, obj, ext.lineInfo, 'lineInfo', (r, off) => ({ ...r, insnOff: r.insnOff + off }));
  append(state, obj, ext.coreRelo, 'coreRelo', (r, off) => ({ ...r, insnOff: r.insnOff + off, typeId: map[r.typeId] }));
}

function append<R>(
  state: LinkState,
  obj: InputObject,
  info: ExtInfo<R>,
  key: 'funcInfo' | 'lineInfo' | 'coreRelo',
  move: (r: R, off: number) => R,
): void {
  for (const s of info.sections) {
    const src = obj.sections.find((x) => x.index !== 0 && x.name === s.secName);
    if (src === undefined || src.outId < 0) {
      throw linkError('BAD_VALUE', `.BTF.ext refers to section '${s.secName}', which the object does not have`, { file: obj.name, section: '.BTF.ext' });
    }
    const dst = state.sections[src.outId] as unknown as Record<typeof key, ExtRecords<R> | undefined>;
    let recs = dst[key];
    if (recs === undefined) {
      recs = { recSize: info.recSize, records: [] };
      dst[key] = recs;
    } else if (recs.recSize !== info.recSize) {
      throw linkError(
        'UNSUPPORTED',
        `.BTF.ext ${key} records of '${s.secName}' are ${info.recSize} bytes here but ${recs.recSize} in an earlier input; compile all inputs with the same clang`,
        { file: obj.name, section: '.BTF.ext' },
      );
    }
    for (const r of s.records) recs.records.push(move(r, src.outOffset));
  }
}
