import { Injectable } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { DomainError } from '@exchange/domain';
import { keyResolverAt, verifyDocumentJws } from '@exchange/signing';
import { Clock } from '../infrastructure/clock';
import { ReadModel } from '@exchange/projections';
import { validatePlain } from '../http/validation';

export interface VerifiedDocument<T> {
  jws: string;
  document: T;
  payloadSha256: string;
}

/**
 * Verifies a participant's compact JWS against the caller's keys as they stand now, then validates
 * the payload against the document's DTO (unknown fields refused, field names under `document.`).
 */
@Injectable()
export class SignedDocuments {
  constructor(private readonly readModel: ReadModel, private readonly clock: Clock) {}

  async verify<T extends object>(jws: string, expectedTyp: string, callerOrgId: string, schema: ClassConstructor<T>): Promise<VerifiedDocument<T>> {
    const org = this.readModel.organizations.get(callerOrgId);
    if (!org) throw new DomainError('unauthenticated', 'unknown-organization', 'the caller is not a registered organization');
    const verified = await verifyDocumentJws(jws, { expectedTyp, resolveKey: keyResolverAt(org.keys, this.clock.now()) });
    const document = validatePlain(schema, verified.payload, 'document');
    return { jws, document, payloadSha256: verified.payloadSha256 };
  }
}
