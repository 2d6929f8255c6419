import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes) that a summary needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Time spent in each function itself, most first. */
  bySelf: { name: string; ms: number }[];
  /** Self time summed per source file or package. */
  byFile: { name: string; ms: number }[];
}

const shortUrl = (url: string) =>
  url
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^file:\/\//, '')
    .replace(process.cwd() + '/', '');
const packageOf = (url: string) => shortUrl(url).replace(/^~\/((@[^/]+\/)?[^/]+).*/, '~/$1');

/** Self time per function and per file of a .cpuprofile, the top `limit` of each. */
export function summarizeCpuProfile(file: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const microsById = new Map<number, number>();
  let totalMicros = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    microsById.set(id, (microsById.get(id) ?? 0) + delta);
    totalMicros += delta;
  });
  const bySelf = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, micros] of microsById) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    bySelf.set(name, (bySelf.get(name) ?? 0) + micros);
    const where = url ? packageOf(url) : functionName;
    byFile.set(where, (byFile.get(where) ?? 0) + micros);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => ({ name, ms: micros / 1000 }));
  return { totalMs: totalMicros / 1000, bySelf: top(bySelf), byFile: top(byFile) };
}

export function formatSummary(summary: ProfileSummary): string {
  const rows = (items: { name: string; ms: number }[]) =>
    items.map(({ name, ms }) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)} %  ${name}`).join('\n');
  return `total ${summary.totalMs.toFixed(0)} ms sampled\n\nself time by function:\n${rows(summary.bySelf)}\n\nself time by file or package:\n${rows(summary.byFile)}`;
}
