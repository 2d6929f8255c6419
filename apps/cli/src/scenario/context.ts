import type { Role, FootprintDocument, RequestKind } from '@exchange/domain/events';
import type { Total } from '@exchange/domain/stages';
import type { ExchangeClient } from '../exchange-client';
import type { KeyFile } from '../keys';
import type { DeclarationFigures } from './documents';
import type { Scenario, ScenarioPart } from './scenario';

/** One organization of the scenario as the demo plays it: its exchange identity, key and session. */
export interface Participant {
  key: string;
  name: string;
  roles: Role[];
  orgId: string;
  clientId: string;
  clientSecret: string;
  signingKey: KeyFile;
  client: ExchangeClient;
}

/** What the exchange answers for every accepted signed document. */
export interface SubmissionAnswer {
  id: string;
  version: number;
  payloadSha256: string;
  receipt: string;
}

export interface PartState {
  part: ScenarioPart;
  id?: string;
  footprint?: SubmissionAnswer & { document: FootprintDocument };
  ddReport?: SubmissionAnswer;
}

export interface SentRequest {
  id: string;
  kind: RequestKind;
  buyerKey: string;
  supplierKey: string;
  partKey: string;
}

export interface VisibilityProbe {
  who: string;
  what: string;
  path: string;
  expected: number[];
  status?: number;
}

export interface DeclarationOutcome extends DeclarationFigures {
  submissionId: string;
  payloadSha256: string;
}

/** The independent checks the scenario makes; the demo fails unless all hold. */
export interface ScenarioChecks {
  totalsMatchExpected: boolean;
  reproduced: boolean;
  verified: boolean;
  declarationMatchesExpected: boolean;
  declarationSignatureVerified: boolean;
  receiptSignatureVerified: boolean;
  acknowledged: boolean;
  inputSupersededNotified: boolean;
  ddRollupPropagated: boolean;
  visibilityAsExpected: boolean;
}

/** What a played scenario leaves behind, for printing and for tests. */
export interface ScenarioResult {
  /** Credentials included so that tests can open their own sessions afterwards. */
  organizations: Record<string, { id: string; name: string; clientId: string; clientSecret: string }>;
  parts: Record<string, { id: string; partNumber: string; footprintId: string; footprintVersion: number; ddReportId: string }>;
  totals: Record<string, Total>;
  declaration: DeclarationOutcome;
  submissionId: string;
  attestationId: string;
  revision: { partKey: string; footprintId: string; version: number; total: Total };
  ddRollup: DdRollup;
  visibility: VisibilityProbe[];
  checks: ScenarioChecks;
}

export interface DdRollup {
  ddReportId: string;
  minerals: string[];
  coverage: { inputs: number; withReport: number };
  highestRisk: Record<string, string>;
  smelters: Array<{ id: string; country: string; mineral: string; name?: string }>;
}

/** The state the steps share while the scenario is played; the demo plays every party. */
export class ScenarioContext {
  readonly participants = new Map<string, Participant>();
  readonly parts = new Map<string, PartState>();
  readonly requests: SentRequest[] = [];
  readonly checks: Partial<ScenarioChecks> = {};
  readonly outcome: Partial<Omit<ScenarioResult, 'checks'>> = {};

  constructor(
    readonly scenario: Scenario,
    readonly operator: ExchangeClient,
    readonly now: () => Date,
  ) {
    for (const part of scenario.parts) this.parts.set(part.key, { part });
  }

  participant(key: string): Participant {
    const participant = this.participants.get(key);
    if (!participant) throw new Error(`organization "${key}" is not registered yet`);
    return participant;
  }

  part(key: string): PartState {
    const state = this.parts.get(key);
    if (!state) throw new Error(`scenario has no part "${key}"`);
    return state;
  }

  partId(key: string): string {
    const id = this.part(key).id;
    if (!id) throw new Error(`part "${key}" is not registered yet`);
    return id;
  }

  ownerOf(partKey: string): Participant {
    return this.participant(this.part(partKey).part.owner);
  }

  footprint(partKey: string): NonNullable<PartState['footprint']> {
    const footprint = this.part(partKey).footprint;
    if (!footprint) throw new Error(`part "${partKey}" has no footprint yet`);
    return footprint;
  }

  ddReport(partKey: string): SubmissionAnswer {
    const report = this.part(partKey).ddReport;
    if (!report) throw new Error(`part "${partKey}" has no DD report yet`);
    return report;
  }

  nowIso(): string {
    return this.now().toISOString();
  }
}

/** One line of the demo's progress: `run` does the work and may return a detail for the line. */
export interface Step {
  title: string;
  run(context: ScenarioContext): Promise<string | void>;
}

/** Records a check and throws when it failed and the scenario cannot sensibly go on. */
export function requireCheck(context: ScenarioContext, name: keyof ScenarioChecks, ok: boolean, failure: string): void {
  context.checks[name] = ok;
  if (!ok) throw new Error(failure);
}
