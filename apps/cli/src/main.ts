import { reportFailure, UsageError } from './commands/cli-io';
import { DEMO_USAGE, demoCommand } from './commands/demo';
import { KEYGEN_USAGE, keygenCommand } from './commands/keygen';
import { SIGN_USAGE, signCommand } from './commands/sign';
import { SUBMIT_USAGE, submitCommand } from './commands/submit';
import { SYNTHETIC_USAGE, syntheticCommand } from './commands/synthetic';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  keygen: keygenCommand,
  sign: signCommand,
  submit: submitCommand,
  demo: demoCommand,
  synthetic: syntheticCommand,
};

const USAGE = `The battery data exchange's participant CLI.

usage: npm run -s cli -- <command> [options]
  ${KEYGEN_USAGE}
  ${SIGN_USAGE}
  ${SUBMIT_USAGE}
  ${DEMO_USAGE}
  ${SYNTHETIC_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportFailure(error)),
);
