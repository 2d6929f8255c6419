import { streams, type DomainEvent, type FootprintCommand, type GrantCommand } from '@exchange/domain';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of the ids of follow-up facts, derived from their cause, so a follow-up recorded twice is recorded once. */
const DERIVED_ID_NAMESPACE = '8a6c7f3e-2f0d-5b7e-9a51-6f3c1d2e4b10';

export const derivedId = (...parts: string[]) => uuidv5(parts.join('/'), DERIVED_ID_NAMESPACE);

/** One fact that another fact causes, as a command for the stream it belongs to. */
export type FollowUp = {
  /** What it is, for the logs and a parked record, e.g. "grant for the requester". */
  reaction: string;
  /** Names the follow-up: the same cause names it the same way however often it is reacted to. */
  cause: string;
  streamId: string;
  at: string;
} & ({ aggregate: 'grant'; command: GrantCommand } | { aggregate: 'footprint'; command: FootprintCommand });

/** What the reactions need to know beyond the event itself. */
export interface FollowUpFacts {
  /** Footprint versions whose derivation pins the given version. */
  pinnersOf(footprintId: string, version: number): readonly { footprintId: string; version: number }[];
  /** Who issued the DD report, if it exists. */
  ddReportIssuer(ddReportId: string): string | undefined;
}

type GrantArgs = Omit<Extract<GrantCommand, { type: 'create-grant' }>, 'type' | 'grantId' | 'granteeExists'>;

function grantFollowUp(reaction: string, args: GrantArgs): FollowUp {
  const origin = args.origin.kind === 'request' ? args.origin.requestId : args.origin.kind === 'submission' ? args.origin.submissionId : 'owner';
  const grantId = derivedId('grant', origin, args.resource.type, args.resource.id, args.granteeOrgId);
  const command: GrantCommand = { type: 'create-grant', grantId, granteeExists: true, ...args };
  return { reaction, cause: grantId, streamId: streams.grant(grantId), aggregate: 'grant', command, at: args.at };
}

/**
 * The follow-up facts an event causes: a grant for the requester of an answered request,
 * regulatory grants for a received submission, and a notice to every issuer whose document pins a
 * superseded version.
 */
export function followUpsOf(e: DomainEvent, facts: FollowUpFacts): FollowUp[] {
  switch (e.type) {
    case 'request.answered': {
      const d = e.data;
      return [
        grantFollowUp('grant for the requester', {
          ownerOrgId: d.supplierOrgId,
          granteeOrgId: d.requesterOrgId,
          resource: { type: d.documentType, id: d.documentId },
          purpose: 'downstream-aggregation',
          scope: 'document',
          origin: { kind: 'request', requestId: d.requestId },
          at: d.answeredAt,
        }),
      ];
    }
    case 'submission.received': {
      const d = e.data;
      const origin = { kind: 'submission', submissionId: d.submissionId } as const;
      const regulatory = { ownerOrgId: d.issuer, granteeOrgId: d.regulatorOrgId, purpose: 'regulatory', origin, at: d.receivedAt } as const;
      const ddReportId = d.declaration.ddReportId;
      return [
        grantFollowUp('regulatory grant on the submission', {
          ...regulatory,
          resource: { type: 'submission', id: d.submissionId },
          scope: 'document',
        }),
        grantFollowUp('regulatory grant on the footprint', {
          ...regulatory,
          resource: { type: 'footprint', id: d.declaration.footprintId },
          scope: 'derivation',
        }),
        ...(ddReportId !== undefined && facts.ddReportIssuer(ddReportId) === d.issuer
          ? [
              grantFollowUp('regulatory grant on the DD report', {
                ...regulatory,
                resource: { type: 'dd-report', id: ddReportId },
                scope: 'document',
              }),
            ]
          : []),
      ];
    }
    case 'footprint.submitted': {
      const d = e.data;
      if (d.version === 1) return [];
      const superseded = d.version - 1;
      return facts.pinnersOf(d.footprintId, superseded).map((pinner) => ({
        reaction: 'notice of a superseded input',
        cause: derivedId('input-superseded', d.footprintId, String(superseded), pinner.footprintId, String(pinner.version)),
        streamId: streams.footprint(pinner.footprintId),
        aggregate: 'footprint' as const,
        command: {
          type: 'note-input-superseded' as const,
          pinnedBy: pinner.footprintId,
          pinnedByVersion: pinner.version,
          footprintId: d.footprintId,
          version: superseded,
          supersededBy: d.version,
          at: d.receivedAt,
        },
        at: d.receivedAt,
      }));
    }
    default:
      return [];
  }
}
