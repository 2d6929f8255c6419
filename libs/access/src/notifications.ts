import type { DomainEvent } from '@exchange/domain';

/** One organization's view of an event it is told about: the feed item and, later, its inbox message. */
export interface Notification {
  recipientOrgId: string;
  type: DomainEvent['type'];
  data: Record<string, unknown>;
}

/**
 * Who is told about which event, and what they see of it. Events not listed here are nobody's
 * notification; the data shown never includes documents, derivations or secrets.
 */
export function notificationsFor(e: DomainEvent): Notification[] {
  const to = (recipientOrgId: string, data: Record<string, unknown>): Notification[] => [{ recipientOrgId, type: e.type, data }];
  switch (e.type) {
    case 'request.created': {
      const { requestId, kind, requesterOrgId, supplierOrgId, supplierPartId, message, dueDate } = e.data;
      return to(supplierOrgId, {
        requestId,
        kind,
        requesterOrgId,
        supplierPartId,
        ...(message !== undefined && { message }),
        ...(dueDate !== undefined && { dueDate }),
      });
    }
    case 'request.answered': {
      const { requestId, supplierOrgId, documentType, documentId } = e.data;
      return to(e.data.requesterOrgId, { requestId, supplierOrgId, documentType, documentId });
    }
    case 'request.rejected':
      return to(e.data.requesterOrgId, { requestId: e.data.requestId, supplierOrgId: e.data.supplierOrgId, reason: e.data.reason });
    case 'grant.created': {
      const { grantId, ownerOrgId, resource, purpose, scope, expiresAt } = e.data;
      return to(e.data.granteeOrgId, { grantId, ownerOrgId, resource, purpose, scope, ...(expiresAt !== undefined && { expiresAt }) });
    }
    case 'grant.revoked':
      return to(e.data.granteeOrgId, { grantId: e.data.grantId, ownerOrgId: e.data.ownerOrgId, resource: e.data.resource });
    case 'footprint.input-superseded': {
      const { footprintId, version, supersededBy, pinnedBy, pinnedByVersion } = e.data;
      return to(e.data.pinnedByIssuer, { footprintId, version, supersededBy, pinnedBy, pinnedByVersion });
    }
    case 'attestation.created': {
      const { attestationId, footprintId, version, issuer, result } = e.data;
      return to(e.data.footprintIssuer, { attestationId, footprintId, version, issuer, result });
    }
    case 'submission.received':
      return to(e.data.regulatorOrgId, { submissionId: e.data.submissionId, issuer: e.data.issuer, payloadSha256: e.data.payloadSha256 });
    case 'submission.acknowledged':
      return to(e.data.issuer, { submissionId: e.data.submissionId, regulatorOrgId: e.data.regulatorOrgId, result: e.data.acknowledgement.result });
    case 'protected-data.read':
    case 'protected-data.bulk-read':
    case 'protected-data.read-refused':
      // The audit trail is the owner's to ask for (GET /v1/audit); nobody is told of each read.
      return [];
    default:
      return [];
  }
}
