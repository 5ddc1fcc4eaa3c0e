export * from './types.js';
export { parseBtfExt, type ParseBtfExtOptions } from './parse.js';
export { encodeBtfExt } from './encode.js';
