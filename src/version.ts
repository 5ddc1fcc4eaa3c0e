/** bpfkit's version, written into generated files' headers. Kept in step
 * with package.json by a test. */
export const VERSION = '0.1.0';
