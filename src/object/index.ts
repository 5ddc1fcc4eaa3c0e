export * from './types.js';
export { openObject, openObjectFile, type OpenObjectOptions } from './open.js';
export { findSecDef, SECTION_DEFS, secDefMatches, type SecDef, type SecMatch } from './sec-defs.js';
export * from './bpf-enums.js';
export { typeDescription } from './type-names.js';
export { formatInspect, INSPECT_SCHEMA, summarize, type InspectSummary, type MapSummary } from './summary.js';
export { disassembleObject, formatDisasm, type FunctionListing } from './disasm.js';
