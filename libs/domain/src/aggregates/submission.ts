import { conflict, forbidden, invalid, notFound, unprocessable } from '../errors';
import { event, type Acknowledgement, type Declaration, type DomainEvent } from '../events';
import type { Decider } from '../decider';
import { divideRounded6, equal } from '../decimal';
import { STAGES, type Total } from '../stages';
import { isAfter } from '../time';

export interface SubmissionState {
  exists: boolean;
  issuer?: string;
  regulatorOrgId?: string;
  payloadSha256?: string;
  acknowledged: boolean;
}

/** What the handler found about the declared footprint version and its attestations. */
export interface DeclaredFootprintFacts {
  issuer: string;
  version: number;
  total: Total;
  /** Until when the footprint version is valid, when its document says. */
  validUntil?: string;
  attestations: { id: string; version: number; issuer: string; result: 'verified' | 'rejected'; validUntil: string }[];
}

export interface SubmitDeclaration {
  type: 'submit-declaration';
  callerOrgId: string;
  regulatorOrgId: string;
  regulatorIsRegulator: boolean;
  jws: string;
  payloadSha256: string;
  declaration: Declaration;
  footprint?: DeclaredFootprintFacts;
  ddReportFound: boolean;
  at: string;
}

export interface AcknowledgeSubmission {
  type: 'acknowledge-submission';
  submissionId: string;
  callerOrgId: string;
  jws: string;
  payloadSha256: string;
  acknowledgement: Acknowledgement;
  at: string;
}

export type SubmissionCommand = SubmitDeclaration | AcknowledgeSubmission;

/** The per-functional-unit figures a declaration must carry for a footprint total. */
export function perFunctionalUnit(
  total: Total,
  energyKWh: string,
): { cfpPerFunctionalUnit: string; cfpPerStage: Record<(typeof STAGES)[number], string> } {
  if (equal(energyKWh, '0'))
    throw invalid('zero-energy', 'energyOverServiceLifeKWh must be greater than zero', [
      { field: 'document.energyOverServiceLifeKWh', message: 'must be greater than zero' },
    ]);
  const cfpPerStage = Object.fromEntries(STAGES.map((s) => [s, divideRounded6(total[s], energyKWh)])) as Record<(typeof STAGES)[number], string>;
  return { cfpPerFunctionalUnit: divideRounded6(total.value, energyKWh), cfpPerStage };
}

export const submissionDecider: Decider<SubmissionState, SubmissionCommand, DomainEvent> = {
  initialState: () => ({ exists: false, acknowledged: false }),
  evolve(state, e) {
    switch (e.type) {
      case 'submission.received':
        return {
          exists: true,
          issuer: e.data.issuer,
          regulatorOrgId: e.data.regulatorOrgId,
          payloadSha256: e.data.payloadSha256,
          acknowledged: false,
        };
      case 'submission.acknowledged':
        return { ...state, acknowledged: true };
      default:
        return state;
    }
  },
  decide(command, state) {
    return command.type === 'submit-declaration' ? decideSubmit(command, state) : decideAcknowledge(command, state);
  },
};

function decideSubmit(command: SubmitDeclaration, state: SubmissionState): DomainEvent[] {
  const d = command.declaration;
  if (d.issuer !== command.callerOrgId) throw forbidden('issuer-mismatch', 'the declaration is issued by another organization than the caller');
  if (state.exists) throw conflict('duplicate-id', `submission ${d.id} already exists`);
  if (command.regulatorOrgId === command.callerOrgId)
    throw forbidden('self-submission', 'a declaration is submitted to a regulator other than its issuer');
  if (!command.regulatorIsRegulator) throw unprocessable('unknown-regulator', `organization ${command.regulatorOrgId} is not a regulator`);
  const fp = command.footprint;
  if (!fp || fp.issuer !== command.callerOrgId)
    throw unprocessable('footprint-not-found', `footprint ${d.footprintId} version ${d.footprintVersion} is not one of yours`);
  if (fp.validUntil !== undefined && !isAfter(fp.validUntil, command.at))
    throw unprocessable('footprint-expired', `footprint ${d.footprintId} version ${d.footprintVersion} was valid until ${fp.validUntil}`);
  if (d.ddReportId !== undefined && !command.ddReportFound) throw unprocessable('dd-report-not-found', `DD report ${d.ddReportId} not found`);
  for (const attestationId of d.attestationIds) {
    const attestation = fp.attestations.find((a) => a.id === attestationId);
    if (!attestation || attestation.version !== d.footprintVersion)
      throw unprocessable('attestation-not-found', `attestation ${attestationId} is not an attestation of this footprint version`);
    if (attestation.result !== 'verified') throw unprocessable('not-attested', `attestation ${attestationId} did not verify the footprint`);
    if (attestation.issuer === d.issuer)
      throw unprocessable(
        'not-attested',
        `attestation ${attestationId} was made by the declaration's issuer, not by an independent certification body`,
      );
    if (!isAfter(attestation.validUntil, command.at))
      throw unprocessable('attestation-expired', `attestation ${attestationId} was valid until ${attestation.validUntil}`);
  }
  if (d.attestationIds.length === 0) throw unprocessable('not-attested', 'the footprint must be attested "verified" by a certification body');
  const expected = perFunctionalUnit(fp.total, d.energyOverServiceLifeKWh);
  if (d.cfpPerFunctionalUnit !== expected.cfpPerFunctionalUnit) {
    throw unprocessable(
      'declaration-mismatch',
      `cfpPerFunctionalUnit is ${d.cfpPerFunctionalUnit}, the footprint gives ${expected.cfpPerFunctionalUnit}`,
      { field: 'cfpPerFunctionalUnit', expected: expected.cfpPerFunctionalUnit },
    );
  }
  for (const stage of STAGES) {
    if (d.cfpPerStage[stage] !== expected.cfpPerStage[stage]) {
      throw unprocessable(
        'declaration-mismatch',
        `cfpPerStage.${stage} is ${d.cfpPerStage[stage]}, the footprint gives ${expected.cfpPerStage[stage]}`,
        { stage, expected: expected.cfpPerStage[stage] },
      );
    }
  }
  return [
    event('submission.received', {
      submissionId: d.id,
      issuer: d.issuer,
      regulatorOrgId: command.regulatorOrgId,
      jws: command.jws,
      payloadSha256: command.payloadSha256,
      declaration: d,
      receivedAt: command.at,
    }),
  ];
}

function decideAcknowledge(command: AcknowledgeSubmission, state: SubmissionState): DomainEvent[] {
  const ack = command.acknowledgement;
  if (!state.exists || (state.regulatorOrgId !== command.callerOrgId && state.issuer !== command.callerOrgId))
    throw notFound('submission-not-found', 'no such submission');
  if (state.regulatorOrgId !== command.callerOrgId) throw forbidden('not-the-regulator', 'only the receiving regulator acknowledges a submission');
  if (state.issuer === command.callerOrgId) throw forbidden('self-acknowledgement', 'a regulator acknowledges only what others submitted');
  if (ack.issuer !== command.callerOrgId) throw forbidden('issuer-mismatch', 'the acknowledgement is issued by another organization than the caller');
  if (ack.submissionId !== command.submissionId)
    throw unprocessable('submission-mismatch', `the acknowledgement is about submission ${ack.submissionId}`);
  if (ack.payloadSha256 !== state.payloadSha256)
    throw unprocessable('payload-hash-mismatch', 'payloadSha256 does not match the declaration', { expected: state.payloadSha256 });
  if (state.acknowledged) throw conflict('already-acknowledged', 'the submission is already acknowledged');
  return [
    event('submission.acknowledged', {
      submissionId: command.submissionId,
      issuer: state.issuer!,
      regulatorOrgId: command.callerOrgId,
      jws: command.jws,
      payloadSha256: command.payloadSha256,
      acknowledgement: ack,
      acknowledgedAt: command.at,
    }),
  ];
}
