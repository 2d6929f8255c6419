import { RISK_LEVELS, type DdReportDocument, type Mineral, type RiskLevel, MINERALS } from './events';

export interface RollupSmelter {
  id: string;
  country: string;
  mineral: Mineral;
  name?: string;
}

export interface DdRollup {
  ddReportId: string;
  minerals: Mineral[];
  coverage: { inputs: number; withReport: number };
  highestRisk: Record<string, RiskLevel>;
  smelters: RollupSmelter[];
}

export interface LinkedReport {
  document: DdReportDocument;
  /** Whether the caller may read this report's details (smelter names). */
  readable: boolean;
}

/**
 * Rolls a DD report up its linked chain: minerals and risk levels propagate from every linked
 * report (passing them on is what due diligence is for); smelter names only where readable.
 * `bomLines` is the number of bill-of-materials lines of the report's part.
 */
export function rollUp(root: LinkedReport, bomLines: number, resolve: (ddReportId: string, version: number) => LinkedReport | undefined): DdRollup {
  const minerals = new Set<Mineral>();
  const highestRisk: Record<string, RiskLevel> = {};
  const smelters = new Map<string, RollupSmelter>();
  const visited = new Set<string>();

  const visit = (report: LinkedReport) => {
    const key = `${report.document.id}@${report.document.version}`;
    if (visited.has(key)) return;
    visited.add(key);
    report.document.minerals.forEach((m) => minerals.add(m));
    for (const risk of report.document.risks) {
      const current = highestRisk[risk.category];
      if (current === undefined || RISK_LEVELS.indexOf(risk.level) > RISK_LEVELS.indexOf(current)) highestRisk[risk.category] = risk.level;
    }
    for (const s of report.document.smelters) {
      const known = smelters.get(s.id);
      const entry: RollupSmelter = { id: s.id, country: s.country, mineral: s.mineral, ...(report.readable && { name: s.name }) };
      if (!known || (entry.name && !known.name)) smelters.set(s.id, entry);
    }
    for (const input of report.document.inputs) {
      const linked = resolve(input.ddReportId, input.version);
      if (linked) visit(linked);
    }
  };
  visit(root);

  const linkedParts = new Set(root.document.inputs.map((i) => resolve(i.ddReportId, i.version)?.document.partId).filter(Boolean));
  return {
    ddReportId: root.document.id,
    minerals: MINERALS.filter((m) => minerals.has(m)),
    coverage: { inputs: bomLines, withReport: linkedParts.size },
    highestRisk: Object.fromEntries(Object.entries(highestRisk).sort(([a], [b]) => (a < b ? -1 : 1))),
    smelters: [...smelters.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}
