import { Injectable } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { DomainError, forbidden } from '@exchange/domain';
import { keyResolverAt, verifyDocumentJws } from '@exchange/signing';
import { ReadModel } from '@exchange/projections';
import { validatePlain } from '../http/validation';

export interface VerifiedDocument<T> {
  jws: string;
  document: T;
  payloadSha256: string;
}

/**
 * Verifies a participant's compact JWS against the caller's keys as they stood at `receivedAt`, then
 * validates the payload against the document's DTO (unknown fields refused, field names under `document.`).
 * `receivedAt` must be the instant the caller records the document at: checking the key at one
 * instant and stamping another would let a rotation in between record a document as received
 * after the key that signed it was retired.
 */
@Injectable()
export class SignedDocuments {
  constructor(private readonly readModel: ReadModel) {}

  async verify<T extends object>(
    jws: string,
    expectedTyp: string,
    callerOrgId: string,
    schema: ClassConstructor<T>,
    receivedAt: string,
  ): Promise<VerifiedDocument<T>> {
    const org = this.readModel.organizations.get(callerOrgId);
    if (!org) throw new DomainError('unauthenticated', 'unknown-organization', 'the caller is not a registered organization');
    const verified = await verifyDocumentJws(jws, {
      expectedTyp,
      resolveKey: keyResolverAt(org.keys, receivedAt),
      checkPayload: (payload) => refuseAnotherIssuer(payload, callerOrgId),
    });
    const document = validatePlain(schema, verified.payload, 'document');
    return { jws, document, payloadSha256: verified.payloadSha256 };
  }
}

/**
 * A document issued by another organization than the caller is a 403, whatever its signature: the
 * caller may not submit it at all (its signature would otherwise be checked against the caller's
 * keys and fail as a 422). Checked before the signature.
 */
function refuseAnotherIssuer(payload: Record<string, unknown>, callerOrgId: string): void {
  if (typeof payload.issuer === 'string' && payload.issuer !== callerOrgId)
    throw forbidden('issuer-mismatch', 'the document is issued by another organization than the caller');
}
