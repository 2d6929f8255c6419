/** `--quick`, `--name=value` and `--name value` arguments of a bench script. */
export interface BenchArgs {
  quick: boolean;
  options: Map<string, string>;
  number(name: string, fallback: number): number;
  string(name: string, fallback: string): string;
  numbers(name: string, fallback: number[]): number[];
}

export function parseArgs(argv: string[] = process.argv.slice(2)): BenchArgs {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) options.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) options.set(arg.slice(2), argv[++i]!);
    else options.set(arg.slice(2), 'true');
  }
  const get = (name: string) => options.get(name);
  return {
    quick: get('quick') === 'true',
    options,
    number: (name, fallback) => (get(name) === undefined ? fallback : Number(get(name))),
    string: (name, fallback) => get(name) ?? fallback,
    numbers: (name, fallback) => (get(name) === undefined ? fallback : get(name)!.split(',').map(Number)),
  };
}
