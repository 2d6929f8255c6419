import { conflict, forbidden, invalid, notFound, unprocessable } from '../errors';
import { event, type DomainEvent, type RequestKind } from '../events';
import type { Decider } from '../decider';

export type RequestStatus = 'open' | 'answered' | 'rejected';

export interface RequestState {
  exists: boolean;
  kind?: RequestKind;
  requesterOrgId?: string;
  supplierOrgId?: string;
  supplierPartId?: string;
  status?: RequestStatus;
}

/** A document a supplier may answer with, as the handler found it under the id given. */
export interface AnswerDocumentFacts {
  id: string;
  issuer: string;
  partId: string;
}

/**
 * What the handler found under the id given, of each type a request can be answered with: a
 * footprint and a DD report may share an id (issuers choose them), so the request's kind decides.
 */
export type AnswerDocuments = Partial<Record<'footprint' | 'dd-report', AnswerDocumentFacts>>;

export type RequestCommand =
  | {
      type: 'create-request';
      requestId: string;
      kind: RequestKind;
      requesterOrgId: string;
      supplierOrgId: string;
      supplierPartId: string;
      supplierPartOwner?: string;
      message?: string;
      dueDate?: string;
      at: string;
    }
  | { type: 'answer-request'; requestId: string; callerOrgId: string; documents: AnswerDocuments; at: string }
  | { type: 'reject-request'; requestId: string; callerOrgId: string; reason: string; at: string };

export const requestDecider: Decider<RequestState, RequestCommand, DomainEvent> = {
  initialState: () => ({ exists: false }),
  evolve(state, e) {
    switch (e.type) {
      case 'request.created':
        return {
          exists: true,
          kind: e.data.kind,
          requesterOrgId: e.data.requesterOrgId,
          supplierOrgId: e.data.supplierOrgId,
          supplierPartId: e.data.supplierPartId,
          status: 'open',
        };
      case 'request.answered':
        return { ...state, status: 'answered' };
      case 'request.rejected':
        return { ...state, status: 'rejected' };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'create-request': {
        if (state.exists) throw conflict('duplicate-id', `request ${command.requestId} already exists`);
        if (command.supplierOrgId === command.requesterOrgId)
          throw invalid('self-request', 'an organization cannot request data from itself', [
            { field: 'supplierOrgId', message: 'must be another organization' },
          ]);
        if (command.supplierPartOwner !== command.supplierOrgId)
          throw unprocessable('unknown-supplier-part', `organization ${command.supplierOrgId} has no part ${command.supplierPartId}`);
        const { type: _type, requestId, kind, requesterOrgId, supplierOrgId, supplierPartId, message, dueDate, at } = command;
        return [
          event('request.created', {
            requestId,
            kind,
            requesterOrgId,
            supplierOrgId,
            supplierPartId,
            ...(message !== undefined && { message }),
            ...(dueDate !== undefined && { dueDate }),
            createdAt: at,
          }),
        ];
      }
      case 'answer-request': {
        const open = openRequestForSupplier(state, command.callerOrgId);
        const expectedType = open.kind === 'cfp' ? 'footprint' : 'dd-report';
        const doc = command.documents[expectedType];
        if (!doc || doc.issuer !== command.callerOrgId) {
          throw unprocessable('document-not-found', `no ${expectedType} of yours with that id`);
        }
        if (doc.partId !== open.supplierPartId)
          throw unprocessable(
            'document-part-mismatch',
            `the ${expectedType} is about part ${doc.partId}, the request asks for ${open.supplierPartId}`,
          );
        return [
          event('request.answered', {
            requestId: command.requestId,
            requesterOrgId: open.requesterOrgId!,
            supplierOrgId: open.supplierOrgId!,
            documentType: expectedType,
            documentId: doc.id,
            answeredAt: command.at,
          }),
        ];
      }
      case 'reject-request': {
        const open = openRequestForSupplier(state, command.callerOrgId);
        return [
          event('request.rejected', {
            requestId: command.requestId,
            requesterOrgId: open.requesterOrgId!,
            supplierOrgId: open.supplierOrgId!,
            reason: command.reason,
            rejectedAt: command.at,
          }),
        ];
      }
    }
  },
};

function openRequestForSupplier(state: RequestState, callerOrgId: string): RequestState {
  if (!state.exists || (state.supplierOrgId !== callerOrgId && state.requesterOrgId !== callerOrgId))
    throw notFound('request-not-found', 'no such request');
  if (state.supplierOrgId !== callerOrgId) throw forbidden('not-the-supplier', 'only the supplier answers or rejects a request');
  if (state.status !== 'open') throw conflict('request-closed', `the request is already ${state.status}`);
  return state;
}
