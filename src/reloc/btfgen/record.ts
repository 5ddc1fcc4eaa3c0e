/**
 * Resolve every CO-RE relocation record of an object against the target,
 * as bpftool's btfgen does, and mark what each target spec uses.
 *
 * Unlike loading, every record counts: records of sub-programs the linker
 * would drop and of programs that are not autoloaded included. A record
 * libbpf could not resolve (a malformed access string, an anonymous local
 * type, candidates that disagree) makes the whole generation fail, since
 * bpftool fails then too.
 */
import type { Btf, BtfExt } from '../../btf/index.js';
import { CoreReloKind } from '../../btf/index.js';
import { BpfkitError, withLocation } from '../../internal/errors.js';
import { ReloError, resolveRelo } from '../calc.js';
import { type Candidate, essentialNameIndex, findCandidatesIndexed } from '../match.js';
import { SpecError } from '../spec.js';
import type { Marks } from './mark.js';

/** What btfgen needs of an object: its BTF and `.BTF.ext` (a BpfObject
 * has both). */
export interface BtfgenObject {
  file?: string | undefined;
  btf: Btf | undefined;
  btfExt: BtfExt | undefined;
}

/** Shared across objects: the target's name index is built once. */
export interface TargetIndex {
  names?: Map<string, number[]>;
}

/** Mark everything `obj`'s relocations use; returns how many records were
 * resolved. */
export function recordObject(marks: Marks, obj: BtfgenObject, index: TargetIndex): number {
  const file = obj.file;
  if (obj.btf === undefined) throw new BpfkitError('BAD_VALUE', 'the object has no .BTF section', { file });
  if (obj.btfExt === undefined) throw new BpfkitError('BAD_VALUE', 'the object has no .BTF.ext section (no CO-RE relocations to minimize for)', { file });
  const local = obj.btf;
  const target = marks.btf;
  // the object's byte order decides only bitfield shift values, which
  // marking ignores; passed as relocation would
  const objLittleEndian = obj.btfExt.littleEndian;
  const candCache = new Map<number, Candidate[]>();
  let n = 0;
  for (const sec of obj.btfExt.coreRelo.sections) {
    sec.records.forEach((rec, reloIdx) => {
      let cands: Candidate[] | undefined;
      if (rec.kind !== CoreReloKind.TypeIdLocal) {
        cands = candCache.get(rec.typeId);
        if (cands === undefined) {
          // an unknown or anonymous local type has no candidates; resolving
          // then fails with libbpf's reason
          const named = local.hasId(rec.typeId) && (local.type(rec.typeId)?.name ?? '') !== '';
          if (named) {
            index.names ??= essentialNameIndex(target);
            cands = findCandidatesIndexed(local, rec.typeId, target, index.names);
          } else {
            cands = [];
          }
          candCache.set(rec.typeId, cands);
        }
      }
      let targ;
      try {
        targ = resolveRelo(local, rec.typeId, rec.accessStr, rec.kind, rec.insnOff / 8, cands, objLittleEndian).targ;
      } catch (e) {
        if (!(e instanceof ReloError) && !(e instanceof SpecError)) throw e;
        throw new BpfkitError('BAD_VALUE', `CO-RE relocation #${reloIdx} ([${rec.typeId}] ${rec.accessStr}): ${e.message}`, {
          file,
          section: sec.secName,
          typeId: rec.typeId,
        });
      }
      withLocation({ file, section: sec.secName }, () => marks.record(rec.kind, targ));
      n++;
    });
  }
  return n;
}
