export { dumpTs, type DumpTsOptions } from './generate.js';
