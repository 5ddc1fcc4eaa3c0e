/**
 * CO-RE relocation of a whole object (libbpf's bpf_object__relocate_core):
 * every `.BTF.ext` core_relo record, in section order and record order,
 * resolved against a target BTF and applied to a copy of the section's
 * instructions.
 *
 * Numbering follows libbpf's log: `relo #N` is the record's index in its
 * section's core_relo list (not within the program), `insn #K` is the slot
 * index from the first instruction of the (sub)program containing it.
 */
import type { Btf } from '../btf/index.js';
import { decodeInsns, type Insn } from '../insn/index.js';
import { BpfkitError } from '../internal/errors.js';
import type { BpfObject } from '../object/index.js';
import { ReloError, resolveRelo } from './calc.js';
import { type Candidate, essentialNameIndex, findCandidatesIndexed } from './match.js';
import { patchInsn } from './patch.js';
import { type CoreKindName, coreKindName, formatSpec, SpecError } from './spec.js';

export interface RelocateOptions {
  /** Byte order for lshift_u64 results; default: the object's. */
  littleEndian?: boolean;
  /** 'throw' (default): stop at the first relocation libbpf refuses, as
   * libbpf does. 'collect': record the error in the result and go on (the
   * instruction is left as it was). */
  onError?: 'throw' | 'collect';
  /** Skip programs whose section starts with '?' (libbpf does, since it
   * will not load them). Default false: relocate everything. */
  autoloadOnly?: boolean;
}

export interface CoreRelocResult {
  /** Name of the (sub)program containing the instruction. */
  program: string;
  /** ELF section of the instructions. */
  section: string;
  sectionIndex: number;
  /** Index of the record in its section's core_relo list (libbpf's `relo #N`). */
  relo: number;
  /** Instruction slot from the program's first instruction (libbpf's `insn #K`). */
  insn: number;
  /** The same instruction's slot from the start of its ELF section. */
  slot: number;
  kind: CoreKindName;
  kindNumber: number;
  typeId: number;
  accessStr: string;
  /** Local spec in libbpf notation, e.g.
   * `<byte_off> [23] struct task_struct.real_parent (0:95 @ offset 1280)`. */
  localSpec: string | undefined;
  /** The first matching target spec, same notation; undefined when nothing
   * matched (and for local_type_id). */
  candidate: string | undefined;
  /** Candidates by essential name / how many of them matched. */
  candidates: number;
  matched: number;
  /** The value expected in the instruction (from the local spec). */
  orig: bigint;
  /** The value for the target. */
  value: bigint;
  /** Whether the instruction was checked against `orig`. */
  validated: boolean;
  poisoned: boolean;
  /** Why it was poisoned, or (with onError 'collect') why it failed. */
  reason?: string;
  /** Load/store size change [old, new] in bytes. */
  memSize?: [number, number];
  /** libbpf-style debug lines of the patch ("patched insn #5 (ALU/ALU64) imm 8 -> 16"). */
  log: string[];
  /** Set with onError 'collect'. */
  error?: BpfkitError;
}

export interface RelocateResult {
  results: CoreRelocResult[];
  /** Patched instructions of every section that has CO-RE records. */
  insnsBySection: Map<number, Insn[]>;
}

interface Func {
  name: string;
  insnOffset: number;
  insnCount: number;
  autoload: boolean;
}

/**
 * Relocate `obj`'s CO-RE records against `target` (e.g. vmlinux BTF, or the
 * object's own BTF). The object is not modified; patched instructions are
 * returned per section.
 */
export function relocateObject(obj: BpfObject, target: Btf, opts: RelocateOptions = {}): RelocateResult {
  const results: CoreRelocResult[] = [];
  const insnsBySection = new Map<number, Insn[]>();
  const ext = obj.btfExt;
  if (ext === undefined || ext.coreRelo.sections.length === 0) return { results, insnsBySection };
  const localBtf = obj.btf;
  if (localBtf === undefined) {
    throw new BpfkitError('BAD_VALUE', 'the object has CO-RE relocations but no .BTF', { file: obj.file, section: '.BTF.ext' });
  }
  const littleEndian = opts.littleEndian ?? obj.littleEndian;
  const onError = opts.onError ?? 'throw';
  const candCache = new Map<number, Candidate[]>();
  let nameIndex: Map<string, number[]> | undefined;

  for (const sec of ext.coreRelo.sections) {
    const elfSec = obj.elf.sections.find((s) => s.name === sec.secName);
    if (elfSec === undefined) {
      throw new BpfkitError('OUT_OF_RANGE', `CO-RE relocations for section '${sec.secName}', which the object does not have`, {
        file: obj.file,
        section: '.BTF.ext',
      });
    }
    let insns = insnsBySection.get(elfSec.index);
    if (insns === undefined) {
      insns = decodeInsns(elfSec.data, obj.littleEndian, { file: obj.file, section: elfSec.name, allowUnknown: true });
      insnsBySection.set(elfSec.index, insns);
    }
    const funcs: Func[] = [
      ...obj.programs.filter((p) => p.sectionIndex === elfSec.index),
      ...obj.subprograms.filter((p) => p.sectionIndex === elfSec.index).map((p) => ({ ...p, autoload: true })),
    ];

    sec.records.forEach((rec, reloIdx) => {
      const kind = coreKindName(rec.kind);
      const where = (insn?: number, symbol?: string) => ({ file: obj.file, section: sec.secName, symbol, insn });
      const fail = (detail: string, insn?: number, symbol?: string): BpfkitError =>
        new BpfkitError('BAD_VALUE', detail, where(insn, symbol));
      if (rec.insnOff % 8 !== 0) {
        throw fail(`CO-RE relocation #${reloIdx}: instruction offset ${rec.insnOff} is not a multiple of 8`);
      }
      const slot = rec.insnOff / 8;
      if (slot >= insns.length) {
        throw new BpfkitError(
          'OUT_OF_RANGE',
          `CO-RE relocation #${reloIdx} (${kind}) points at instruction ${slot}, past the end of the section (${insns.length} instructions)`,
          { file: obj.file, section: sec.secName, insn: slot },
        );
      }
      const func = funcs.find((f) => slot >= f.insnOffset && slot < f.insnOffset + f.insnCount);
      if (func === undefined) {
        // libbpf: "skipping CO-RE relocation #N for insn #K belonging to
        // eliminated weak subprogram"
        return;
      }
      if (opts.autoloadOnly === true && !func.autoload) return;
      const insnIdx = slot - func.insnOffset;
      const result: CoreRelocResult = {
        program: func.name,
        section: sec.secName,
        sectionIndex: elfSec.index,
        relo: reloIdx,
        insn: insnIdx,
        slot,
        kind,
        kindNumber: rec.kind,
        typeId: rec.typeId,
        accessStr: rec.accessStr,
        localSpec: undefined,
        candidate: undefined,
        candidates: 0,
        matched: 0,
        orig: 0n,
        value: 0n,
        validated: false,
        poisoned: false,
        log: [],
      };
      try {
        let cands: Candidate[] | undefined;
        if (rec.kind !== 6 /* local_type_id */ && localBtf.hasId(rec.typeId) && (localBtf.type(rec.typeId)?.name ?? '') !== '') {
          cands = candCache.get(rec.typeId);
          if (cands === undefined) {
            nameIndex ??= essentialNameIndex(target);
            cands = findCandidatesIndexed(localBtf, rec.typeId, target, nameIndex);
            candCache.set(rec.typeId, cands);
          }
        }
        const r = resolveRelo(localBtf, rec.typeId, rec.accessStr, rec.kind, insnIdx, cands, littleEndian);
        result.localSpec = formatSpec(r.local);
        result.candidate = r.targ !== undefined ? formatSpec(r.targ) : undefined;
        result.candidates = r.candidates;
        result.matched = r.matching.length;
        result.orig = r.res.origVal;
        result.value = r.res.newVal;
        result.validated = r.res.validate;
        if (r.res.poison) result.reason = r.matching.length === 0 ? 'no matching targets found' : 'poisoned';
        if (r.matching.length === 0 && rec.kind !== 6) result.log.push('no matching targets found');
        const p = patchInsn(insns, insnIdx, r.res, func.insnOffset);
        result.poisoned = p.poisoned;
        if (p.poisoned && !r.res.poison) result.reason = 'load/store size change would change the value read';
        if (p.memSize !== undefined) result.memSize = p.memSize;
        result.log.push(...p.log);
      } catch (e) {
        if (!(e instanceof ReloError) && !(e instanceof SpecError)) throw e;
        const err = fail(`prog '${func.name}': relo #${reloIdx}: ${e.message}`, insnIdx, func.name);
        if (onError === 'throw') throw err;
        result.error = err;
        result.reason = e.message;
        if (e instanceof ReloError && e.local !== undefined) result.localSpec = formatSpec(e.local);
      }
      results.push(result);
    });
  }
  return { results, insnsBySection };
}
