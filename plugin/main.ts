// Process entry of the command line (see bin/vllm-canary.js).
import { runProgram } from './program.js';

const code = await runProgram(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
