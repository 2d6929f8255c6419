import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProblemError } from '../exchange-client';

/** A mistake in how the command was called: exit code 2 and a hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Reads a JSON file, or standard input when the path is `-`. */
export function readJsonFile(path: string): unknown {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path === '-' ? 'standard input' : path} is not JSON: ${(error as Error).message}`);
  }
}

export function printJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints why a command failed and answers its exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\nrun "cli help" for usage\n`);
    return EXIT_USAGE;
  }
  const problem = findProblem(error);
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (problem) printJson(problem.problem, process.stderr);
  return EXIT_FAILED;
}

function findProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof Error && error.cause) return findProblem(error.cause);
  return undefined;
}

/** node:util parseArgs, strict, with its complaints turned into usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
