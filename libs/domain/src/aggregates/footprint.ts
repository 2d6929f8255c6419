import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { event, type AttestationDocument, type Derivation, type DomainEvent, type FootprintDocument, type PinnedInput } from '../events';
import type { Decider } from '../decider';
import { canonicalSha256 } from '../canonical';
import { equal } from '../decimal';
import { aggregateTotal, firstMismatch, type Total } from '../stages';
import { isAfter } from '../time';

export interface FootprintVersionState {
  version: number;
  payloadSha256: string;
  derivationSha256: string;
  total: Total;
}

export interface FootprintState {
  exists: boolean;
  issuer?: string;
  partId?: string;
  versions: FootprintVersionState[];
  attestationIds: string[];
}

/** What the handler found about one pinned input, as the submitter may see it. */
export interface InputFacts {
  footprintId: string;
  version: number;
  /** Absent when the input does not exist or the submitter may not read it (answered alike). */
  found?: {
    issuer: string;
    partId: string;
    payloadSha256: string;
    total: Total;
    /** Footprint ids this input version depends on, transitively (to refuse cycles). */
    upstreamFootprintIds: ReadonlySet<string>;
  };
}

export interface PartFacts {
  partId: string;
  ownerOrgId: string;
  declaredUnit: string;
  bom: readonly { supplierOrgId: string; supplierPartId: string; quantity: string }[];
}

export interface SubmitFootprint {
  type: 'submit-footprint';
  callerOrgId: string;
  jws: string;
  payloadSha256: string;
  document: FootprintDocument;
  derivation: Derivation;
  part?: PartFacts;
  inputs: InputFacts[];
  at: string;
}

export interface AttestFootprint {
  type: 'attest-footprint';
  footprintId: string;
  callerOrgId: string;
  jws: string;
  payloadSha256: string;
  document: AttestationDocument;
  at: string;
}

export interface NoteInputSuperseded {
  type: 'note-input-superseded';
  pinnedBy: string;
  pinnedByVersion: number;
  footprintId: string;
  version: number;
  supersededBy: number;
  at: string;
}

export type FootprintCommand = SubmitFootprint | AttestFootprint | NoteInputSuperseded;

export const footprintDecider: Decider<FootprintState, FootprintCommand, DomainEvent> = {
  initialState: () => ({ exists: false, versions: [], attestationIds: [] }),
  evolve(state, e) {
    switch (e.type) {
      case 'footprint.submitted': {
        const { document, payloadSha256 } = e.data;
        const version = { version: document.version, payloadSha256, derivationSha256: document.derivationSha256, total: document.total };
        return { ...state, exists: true, issuer: e.data.issuer, partId: e.data.partId, versions: [...state.versions, version] };
      }
      case 'attestation.created':
        return { ...state, attestationIds: [...state.attestationIds, e.data.attestationId] };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'submit-footprint':
        return decideSubmit(command, state);
      case 'attest-footprint':
        return decideAttest(command, state);
      case 'note-input-superseded': {
        if (!state.exists) return [];
        return [
          event('footprint.input-superseded', {
            footprintId: command.footprintId,
            version: command.version,
            supersededBy: command.supersededBy,
            pinnedBy: command.pinnedBy,
            pinnedByVersion: command.pinnedByVersion,
            pinnedByIssuer: state.issuer!,
            notifiedAt: command.at,
          }),
        ];
      }
    }
  },
};

export const latestVersion = (state: FootprintState) => state.versions[state.versions.length - 1];

function decideSubmit(command: SubmitFootprint, state: FootprintState): DomainEvent[] {
  const { document, derivation } = command;
  if (document.issuer !== command.callerOrgId) throw forbidden('issuer-mismatch', 'the document is issued by another organization than the caller');
  checkVersionSequence(state, document, command.callerOrgId);
  const part = command.part;
  if (!part || part.ownerOrgId !== command.callerOrgId || part.partId !== document.partId) {
    throw unprocessable('part-not-found', `part ${document.partId} is not one of your parts`);
  }
  if (part.declaredUnit !== document.declaredUnit) {
    throw unprocessable(
      'declared-unit-mismatch',
      `the part's declared unit is "${part.declaredUnit}", the document says "${document.declaredUnit}"`,
      { expected: part.declaredUnit },
    );
  }
  if (document.validUntil !== undefined && !isAfter(document.validUntil, document.validFrom)) {
    throw unprocessable('invalid-validity-period', `validUntil (${document.validUntil}) is not after validFrom (${document.validFrom})`);
  }
  const derivationSha256 = canonicalSha256(derivation);
  if (derivationSha256 !== document.derivationSha256) {
    throw unprocessable('derivation-hash-mismatch', 'derivationSha256 is not the SHA-256 of the canonical derivation', {
      expected: derivationSha256,
    });
  }
  const weighted = derivation.inputs.map((pinned, index) => checkInput(pinned, index, command, part));
  checkNoDuplicateBomLines(derivation.inputs, command.inputs);
  const expected = aggregateTotal(derivation.own, weighted);
  const mismatch = firstMismatch(document.total, expected);
  if (mismatch) {
    throw unprocessable('total-mismatch', `total.${mismatch.field} is ${mismatch.claimed}, the aggregation gives ${mismatch.expected}`, {
      stage: mismatch.field,
      expected: mismatch.expected,
      expectedTotal: expected,
    });
  }
  return [
    event('footprint.submitted', {
      footprintId: document.id,
      version: document.version,
      issuer: document.issuer,
      partId: document.partId,
      jws: command.jws,
      payloadSha256: command.payloadSha256,
      document,
      derivation,
      receivedAt: command.at,
    }),
  ];
}

function checkVersionSequence(state: FootprintState, document: FootprintDocument, callerOrgId: string): void {
  if (!state.exists) {
    if (document.version !== 1)
      throw conflict('version-conflict', `footprint ${document.id} does not exist yet: its first version is 1`, { expectedVersion: 1 });
    return;
  }
  if (state.issuer !== callerOrgId) throw conflict('duplicate-id', `a footprint with id ${document.id} already exists`);
  if (state.partId !== document.partId) throw unprocessable('part-changed', 'a new version must describe the same part');
  const next = latestVersion(state)!.version + 1;
  if (document.version !== next)
    throw conflict('version-conflict', `the next version of footprint ${document.id} is ${next}`, { expectedVersion: next });
}

function checkInput(pinned: PinnedInput, index: number, command: SubmitFootprint, part: PartFacts) {
  const where = `derivation.inputs[${index}]`;
  const facts = command.inputs.find((f) => f.footprintId === pinned.footprintId && f.version === pinned.version)?.found;
  if (pinned.footprintId === command.document.id || facts?.upstreamFootprintIds.has(command.document.id)) {
    throw unprocessable('input-cycle', `${where}: footprint ${pinned.footprintId} leads back to this document`);
  }
  if (!facts) throw unprocessable('input-not-found', `${where}: footprint ${pinned.footprintId} version ${pinned.version} not found`);
  if (facts.payloadSha256 !== pinned.payloadSha256) {
    throw unprocessable('input-hash-mismatch', `${where}: payloadSha256 does not match footprint ${pinned.footprintId} version ${pinned.version}`, {
      expected: facts.payloadSha256,
    });
  }
  const line = part.bom.find((l) => l.supplierPartId === facts.partId && l.supplierOrgId === facts.issuer);
  if (!line)
    throw unprocessable(
      'input-not-in-bom',
      `${where}: part ${facts.partId} of ${facts.issuer} is not in the bill of materials of part ${part.partId}`,
    );
  if (!equal(line.quantity, pinned.quantity)) {
    throw unprocessable('quantity-mismatch', `${where}: the bill of materials says quantity ${line.quantity}`, { expected: line.quantity });
  }
  return { quantity: pinned.quantity, total: facts.total };
}

function checkNoDuplicateBomLines(pinned: PinnedInput[], inputs: InputFacts[]): void {
  const used = new Set<string>();
  pinned.forEach((p, index) => {
    const partId = inputs.find((f) => f.footprintId === p.footprintId && f.version === p.version)?.found?.partId;
    if (partId && used.has(partId)) throw unprocessable('duplicate-input', `derivation.inputs[${index}]: a bill-of-materials line has two inputs`);
    if (partId) used.add(partId);
  });
}

function decideAttest(command: AttestFootprint, state: FootprintState): DomainEvent[] {
  const doc = command.document;
  if (!state.exists) throw notFound('footprint-not-found', 'no such footprint');
  if (doc.issuer !== command.callerOrgId) throw forbidden('issuer-mismatch', 'the attestation is issued by another organization than the caller');
  if (doc.footprintId !== command.footprintId) throw unprocessable('footprint-mismatch', `the attestation is about footprint ${doc.footprintId}`);
  if (doc.issuer === state.issuer) throw forbidden('self-attestation', 'a footprint is attested by a certification body other than its issuer');
  if (!isAfter(doc.validUntil, command.at))
    throw unprocessable('attestation-expired', `the attestation is valid until ${doc.validUntil}, which is not after its receipt at ${command.at}`);
  if (state.attestationIds.includes(doc.id)) throw conflict('duplicate-id', `attestation ${doc.id} already exists`);
  const version = state.versions.find((v) => v.version === doc.version);
  if (!version) throw unprocessable('version-not-found', `footprint ${doc.footprintId} has no version ${doc.version}`);
  if (version.payloadSha256 !== doc.payloadSha256)
    throw unprocessable('payload-hash-mismatch', 'payloadSha256 does not match the attested version', { expected: version.payloadSha256 });
  if (version.derivationSha256 !== doc.derivationSha256)
    throw unprocessable('derivation-hash-mismatch', 'derivationSha256 does not match the attested version', { expected: version.derivationSha256 });
  return [
    event('attestation.created', {
      attestationId: doc.id,
      footprintId: doc.footprintId,
      version: doc.version,
      footprintIssuer: state.issuer!,
      issuer: doc.issuer,
      result: doc.result,
      jws: command.jws,
      payloadSha256: command.payloadSha256,
      document: doc,
      receivedAt: command.at,
    }),
  ];
}
