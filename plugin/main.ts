// Process entry of the command line (see bin/vllm-canary.js).
import { runProgram } from './program.js';

// `vllm-canary ... | head` closes the pipe early: that ends the output, not the program with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runProgram(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
