import { Injectable } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound } from '@exchange/domain';
import { AccessService, type ProtectedResource, type RecordedRead } from '../../access/access.service';
import { Receipts } from '../../access/receipts';
import { paginate, type PageQuery } from '../../http/pagination';
import { ReadModel, RecordedFacts, type SubmissionView } from '@exchange/projections';

export class ListSubmissions {
  constructor(
    readonly callerOrgId: string,
    readonly page: PageQuery,
  ) {}
}
export class GetSubmission {
  constructor(
    readonly callerOrgId: string,
    readonly submissionId: string,
  ) {}
}

const concerns = (submission: SubmissionView, orgId: string) => submission.issuer === orgId || submission.regulatorOrgId === orgId;
const hidden = () => notFound('submission-not-found', 'no such submission');

/**
 * A submission is listed for its issuer and the receiving regulator. One submission is read by its
 * issuer, by the regulator it was sent to (under its regulatory grant while in force, so the read is
 * audited; the issuer cannot take the declaration back by revoking it) and by the grantees of the
 * issuer's grants in force; anybody else's attempt is recorded in its audit trail and answered 404.
 */
@Injectable()
export class SubmissionReader {
  constructor(
    private readonly readModel: ReadModel,
    private readonly receipts: Receipts,
    private readonly access: AccessService,
    private readonly recorded: RecordedFacts,
  ) {}

  mine(callerOrgId: string): SubmissionView[] {
    return [...this.readModel.submissions.all()].filter((s) => concerns(s, callerOrgId));
  }

  /** For commands on a submission (acknowledging it): its issuer or its regulator; 404 for anybody else, recording nothing. */
  visible(callerOrgId: string, submissionId: string): SubmissionView {
    const submission = this.readModel.submissions.get(submissionId);
    if (!submission || !concerns(submission, callerOrgId)) throw hidden();
    return submission;
  }

  async read(callerOrgId: string, submissionId: string, what: string): Promise<SubmissionView> {
    const submission = this.readModel.submissions.get(submissionId);
    if (!submission) throw hidden();
    await this.access.read(callerOrgId, this.resource(submission), { scope: 'document' }, what, hidden);
    return submission;
  }

  /** The read a listing makes of one of the caller's submissions (the issuer's own, or the regulator's as its recipient). */
  listedRead(callerOrgId: string, s: SubmissionView): RecordedRead {
    const resource = this.resource(s);
    const decision = this.access.decide(callerOrgId, resource, { scope: 'document' });
    if (!decision.allowed) throw new Error(`submission ${s.id} is listed for ${callerOrgId}, who may not read it`);
    return { resource, decision, what: 'document (list)' };
  }

  resource(s: SubmissionView): ProtectedResource {
    return { type: 'submission', id: s.id, ownerOrgId: s.issuer, recipients: [s.regulatorOrgId] };
  }

  async render(s: SubmissionView) {
    const { declaration, jws } = await this.recorded.submission(s);
    const acknowledged = await this.recorded.acknowledgement(s);
    return {
      id: s.id,
      issuer: s.issuer,
      regulatorOrgId: s.regulatorOrgId,
      status: s.status,
      declaration,
      jws,
      payloadSha256: s.payloadSha256,
      receipt: await this.receipts.receiptFor({
        documentId: s.id,
        version: 1,
        payloadSha256: s.payloadSha256,
        position: s.position,
        receivedAt: s.receivedAt,
      }),
      receivedAt: s.receivedAt,
      ...(acknowledged && {
        acknowledgement: {
          jws: acknowledged.jws,
          payloadSha256: acknowledged.payloadSha256,
          document: acknowledged.acknowledgement,
          acknowledgedAt: acknowledged.acknowledgedAt,
        },
      }),
    };
  }
}

@QueryHandler(ListSubmissions)
export class ListSubmissionsHandler implements IQueryHandler<ListSubmissions> {
  constructor(
    private readonly reader: SubmissionReader,
    private readonly access: AccessService,
  ) {}

  async execute({ callerOrgId, page }: ListSubmissions) {
    const { items, next } = paginate(this.reader.mine(callerOrgId), (s) => s.position, page);
    // Each declaration listed is read as a GET of it would read it, and audited alike (together).
    await this.access.recordReads(
      callerOrgId,
      items.map((s) => this.reader.listedRead(callerOrgId, s)),
    );
    return { items: await Promise.all(items.map((s) => this.reader.render(s))), ...(next !== undefined && { next }) };
  }
}

@QueryHandler(GetSubmission)
export class GetSubmissionHandler implements IQueryHandler<GetSubmission> {
  constructor(private readonly reader: SubmissionReader) {}

  async execute({ callerOrgId, submissionId }: GetSubmission) {
    return this.reader.render(await this.reader.read(callerOrgId, submissionId, 'document'));
  }
}
