import { event } from '../events';
import { deciderSpec } from '../testing/decider-spec';
import { requestDecider, type AnswerDocumentFacts, type AnswerDocuments, type RequestCommand } from './request';

const spec = deciderSpec(requestDecider);
const AT = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-05T10:00:00.000Z';

const create = (over: Partial<Extract<RequestCommand, { type: 'create-request' }>> = {}): RequestCommand => ({
  type: 'create-request',
  requestId: 'rq-1',
  kind: 'cfp',
  requesterOrgId: 'kanto',
  supplierOrgId: 'andes',
  supplierPartId: 'li2co3',
  supplierPartOwner: 'andes',
  at: AT,
  ...over,
});
const created = (kind: 'cfp' | 'dd' = 'cfp') =>
  event('request.created', { requestId: 'rq-1', kind, requesterOrgId: 'kanto', supplierOrgId: 'andes', supplierPartId: 'li2co3', createdAt: AT });
const document = (over: Partial<AnswerDocumentFacts> = {}): AnswerDocumentFacts => ({ id: 'fp-1', issuer: 'andes', partId: 'li2co3', ...over });
const answer = (over: { callerOrgId?: string; documents?: AnswerDocuments } = {}): RequestCommand => ({
  type: 'answer-request',
  requestId: 'rq-1',
  callerOrgId: 'andes',
  documents: { footprint: document() },
  at: LATER,
  ...over,
});
const answered = event('request.answered', {
  requestId: 'rq-1',
  requesterOrgId: 'kanto',
  supplierOrgId: 'andes',
  documentType: 'footprint',
  documentId: 'fp-1',
  answeredAt: LATER,
});
const reject = (callerOrgId = 'andes'): RequestCommand => ({
  type: 'reject-request',
  requestId: 'rq-1',
  callerOrgId,
  reason: 'no data yet',
  at: LATER,
});
const rejected = event('request.rejected', {
  requestId: 'rq-1',
  requesterOrgId: 'kanto',
  supplierOrgId: 'andes',
  reason: 'no data yet',
  rejectedAt: LATER,
});

describe('request decider', () => {
  describe('create-request', () => {
    it('opens a request', () => spec.given([]).when(create()).then([created()]));
    it('keeps the message and due date', () =>
      spec
        .given([])
        .when(create({ message: 'please', dueDate: '2026-04-01T00:00:00.000Z' }))
        .then([event('request.created', { ...created().data, message: 'please', dueDate: '2026-04-01T00:00:00.000Z' })]));
    it('refuses an id that exists', () => spec.given([created()]).when(create()).thenRefused('conflict', 'duplicate-id'));
    it('refuses a request to oneself', () =>
      spec
        .given([])
        .when(create({ supplierOrgId: 'kanto', supplierPartOwner: 'kanto' }))
        .thenRefused('invalid', 'self-request'));
    it('refuses a part the supplier does not have', () =>
      spec
        .given([])
        .when(create({ supplierPartOwner: 'someone-else' }))
        .thenRefused('unprocessable', 'unknown-supplier-part'));
    it('refuses a part that does not exist', () =>
      spec
        .given([])
        .when(create({ supplierPartOwner: undefined }))
        .thenRefused('unprocessable', 'unknown-supplier-part'));
  });

  describe('answer-request', () => {
    it('answers with a document of the requested part', () => spec.given([created()]).when(answer()).then([answered]));
    it('answers a DD request with a DD report', () =>
      spec
        .given([created('dd')])
        .when(answer({ documents: { 'dd-report': document({ id: 'dd-1' }) } }))
        .then([event('request.answered', { ...answered.data, documentType: 'dd-report', documentId: 'dd-1' })]));
    it('does not know a request that does not exist', () => spec.given([]).when(answer()).thenRefused('not-found', 'request-not-found'));
    it('hides a request from a stranger', () =>
      spec
        .given([created()])
        .when(answer({ callerOrgId: 'stranger' }))
        .thenRefused('not-found', 'request-not-found'));
    it('refuses the requester', () =>
      spec
        .given([created()])
        .when(answer({ callerOrgId: 'kanto' }))
        .thenRefused('forbidden', 'not-the-supplier'));
    it('refuses an answered request', () => spec.given([created(), answered]).when(answer()).thenRefused('conflict', 'request-closed'));
    it('refuses a rejected request', () => spec.given([created(), rejected]).when(answer()).thenRefused('conflict', 'request-closed'));
    it('refuses a document that does not exist', () =>
      spec
        .given([created()])
        .when(answer({ documents: {} }))
        .thenRefused('unprocessable', 'document-not-found'));
    it('refuses a document of the wrong kind', () =>
      spec
        .given([created()])
        .when(answer({ documents: { 'dd-report': document() } }))
        .thenRefused('unprocessable', 'document-not-found'));
    it("refuses another organization's document", () =>
      spec
        .given([created()])
        .when(answer({ documents: { footprint: document({ issuer: 'someone-else' }) } }))
        .thenRefused('unprocessable', 'document-not-found'));
    it('refuses a document about another part', () =>
      spec
        .given([created()])
        .when(answer({ documents: { footprint: document({ partId: 'niso4' }) } }))
        .thenRefused('unprocessable', 'document-part-mismatch'));
    it("answers a DD request with the supplier's DD report when someone else's footprint has the same id", () =>
      spec
        .given([created('dd')])
        .when(answer({ documents: { footprint: document({ id: 'dd-1', issuer: 'squatter' }), 'dd-report': document({ id: 'dd-1' }) } }))
        .then([event('request.answered', { ...answered.data, documentType: 'dd-report', documentId: 'dd-1' })]));
  });

  describe('reject-request', () => {
    it('rejects with a reason', () => spec.given([created()]).when(reject()).then([rejected]));
    it('refuses the requester', () => spec.given([created()]).when(reject('kanto')).thenRefused('forbidden', 'not-the-supplier'));
    it('hides a request from a stranger', () => spec.given([created()]).when(reject('stranger')).thenRefused('not-found', 'request-not-found'));
    it('refuses a closed request', () => spec.given([created(), rejected]).when(reject()).thenRefused('conflict', 'request-closed'));
  });
});
