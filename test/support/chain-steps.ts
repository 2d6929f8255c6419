import { randomUUID } from 'node:crypto';
import { perFunctionalUnit, type Declaration, type Total } from '@exchange/domain';
import type { Participant, submitFootprint } from './participants';

/** A footprint as `submitFootprint` answers it. */
export type Submitted = Awaited<ReturnType<typeof submitFootprint>>;

export type ResourceType = 'footprint' | 'dd-report' | 'submission';

/** What the owner's audit trail shows of one entry. */
export interface AuditItem {
  outcome: 'read' | 'refused';
  readerOrgId: string;
  reason?: string;
  grantId?: string;
  what: string;
  readAt: string;
}

/** A derivation input pinning a submitted footprint. */
export const pin = (fp: Pick<Submitted, 'id' | 'version' | 'payloadSha256'>, quantity: string) => ({
  footprintId: fp.id,
  version: fp.version,
  payloadSha256: fp.payloadSha256,
  quantity,
});

/** The owner grants a read; answers the grant's id. */
export async function grant(
  owner: Participant,
  type: ResourceType,
  id: string,
  grantee: Participant,
  purpose: string,
  scope: string,
  expiresAt?: string,
): Promise<string> {
  const answer = await owner.call('POST', '/v1/grants', {
    resource: { type, id },
    granteeOrgId: grantee.id,
    purpose,
    scope,
    ...(expiresAt && { expiresAt }),
  });
  if (answer.status !== 201) throw new Error(`grant: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}

/** The requester asks the supplier for a document of a part, and the supplier answers with it. */
export async function requestAndAnswer(
  requester: Participant,
  supplier: Participant,
  partId: string,
  kind: 'cfp' | 'dd',
  documentId: string,
): Promise<void> {
  const request = await requester.call('POST', '/v1/requests', { kind, supplierOrgId: supplier.id, supplierPartId: partId });
  if (request.status !== 201) throw new Error(`request: ${request.status} ${JSON.stringify(request.body)}`);
  const answer = await supplier.call('POST', `/v1/requests/${request.body.id}/answer`, { documentId });
  if (answer.status !== 200) throw new Error(`answer: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** A signed attestation document of a footprint version (`over` replaces what a test needs). */
export function attestationOf(by: Participant, fp: Submitted, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    issuer: by.id,
    footprintId: fp.id,
    version: fp.version,
    payloadSha256: fp.payloadSha256,
    derivationSha256: fp.document.derivationSha256,
    result: 'verified',
    standard: 'ISO 14067',
    findings: [],
    validUntil: '2030-01-01T00:00:00Z',
    ...over,
  };
}

/** Attests a footprint version "verified"; answers the attestation's id. */
export async function attest(by: Participant, fp: Submitted, over: Record<string, unknown> = {}): Promise<string> {
  const document = attestationOf(by, fp, over);
  const answer = await by.call('POST', `/v1/footprints/${fp.id}/attestations`, { jws: await by.sign(document, 'attestation+jws') });
  if (answer.status !== 201) throw new Error(`attestation: ${answer.status} ${JSON.stringify(answer.body)}`);
  return document.id;
}

/** The declaration of a footprint version over `energyKWh`, with its per-functional-unit figures right. */
export function declarationOf(
  issuer: Participant,
  fp: Submitted,
  attestationIds: string[],
  energyKWh = '120000',
  over: Partial<Declaration> = {},
): Declaration {
  return {
    id: randomUUID(),
    issuer: issuer.id,
    batteryModel: 'NMC811-75kWh',
    manufacturingSite: 'Salzgitter, DE',
    footprintId: fp.id,
    footprintVersion: fp.version,
    energyOverServiceLifeKWh: energyKWh,
    ...perFunctionalUnit(fp.document.total as Total, energyKWh),
    attestationIds,
    ...over,
  };
}

/** Every entry of the owner's audit trail of a resource, oldest first (all pages). */
export async function auditTrail(owner: Participant, resourceId: string): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let after: string | undefined;
  do {
    const page = await owner.call('GET', `/v1/audit?resourceId=${resourceId}&limit=500${after ? `&after=${after}` : ''}`);
    if (page.status !== 200) throw new Error(`audit: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    after = page.body.next;
  } while (after);
  return items;
}

/** The global position the exchange shows anybody (`GET /health`). */
export async function visiblePosition(p: Participant): Promise<string> {
  const answer = await p.call('GET', '/health');
  return answer.body.position;
}
