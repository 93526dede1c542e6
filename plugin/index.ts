// Public surface of the command line module.
export { buildProgram, runProgram } from './program.js';
