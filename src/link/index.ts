export { Linker, linkFiles, type LinkerOptions } from './linker.js';
export type { LinkSummary } from './summary.js';
