/**
 * CO-RE relocation: libbpf's relo_core.c and the CO-RE part of libbpf.c
 * (bpf_object__relocate_core) for bpfkit's object and BTF models.
 */
export { relocateObject, type CoreRelocResult, type RelocateOptions, type RelocateResult } from './relocate.js';
export {
  CORE_KIND_NAMES,
  CORE_SPEC_MAX_LEN,
  coreKindName,
  essentialName,
  essentialNameLen,
  formatSpec,
  isEnumvalKind,
  isFieldKind,
  isTypeKind,
  parseAccessString,
  parseSpec,
  SpecError,
  type CoreAccessor,
  type CoreKindName,
  type CoreSpec,
} from './spec.js';
export { essentialNamesEqual, fieldsAreCompat, kindsCoreCompat, namesMatch, typesAreCompat, typesMatch } from './compat.js';
export { findCandidates, matchSpec, type Candidate } from './match.js';
export { calcRelo, ReloError, resolveRelo, type ReloRes, type ResolvedRelo } from './calc.js';
export { patchInsn, poisonInsn, POISON_IMM, type PatchOutcome } from './patch.js';
export { coreFailures, coreReport, formatCoreReport, type CoreReportEntry } from './report.js';
export { analyzeReachability, type Reachability } from './reach.js';
export { checkCore } from './check.js';
export { coreMatrix, formatMatrix, type MatrixCell, type MatrixObject, type MatrixOptions, type MatrixResult } from './matrix.js';
export { expandCoreTargets, targetName, type CoreTarget } from './targets.js';
export { generateMinCoreBtf, minCoreBtf, minCoreBtfBytes, readBtfgenObject, type BtfgenObject, type MinCoreBtfOptions, type MinCoreBtfResult } from './btfgen/index.js';
