import { Injectable } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound } from '@exchange/domain';
import { Receipts } from '../../access/receipts';
import { paginate, type PageQuery } from '../../http/pagination';
import { ReadModel, type SubmissionView } from '@exchange/projections';

export class ListSubmissions {
  constructor(readonly callerOrgId: string, readonly page: PageQuery) {}
}
export class GetSubmission {
  constructor(readonly callerOrgId: string, readonly submissionId: string) {}
}

const concerns = (submission: SubmissionView, orgId: string) => submission.issuer === orgId || submission.regulatorOrgId === orgId;

/** A submission is seen by its issuer and by the receiving regulator, by nobody else. */
@Injectable()
export class SubmissionReader {
  constructor(private readonly readModel: ReadModel, private readonly receipts: Receipts) {}

  mine(callerOrgId: string): SubmissionView[] {
    return [...this.readModel.submissions.values()].filter((s) => concerns(s, callerOrgId));
  }

  visible(callerOrgId: string, submissionId: string): SubmissionView {
    const submission = this.readModel.submissions.get(submissionId);
    if (!submission || !concerns(submission, callerOrgId)) throw notFound('submission-not-found', 'no such submission');
    return submission;
  }

  async render(s: SubmissionView) {
    return {
      id: s.id,
      issuer: s.issuer,
      regulatorOrgId: s.regulatorOrgId,
      status: s.status,
      declaration: s.declaration,
      jws: s.jws,
      payloadSha256: s.payloadSha256,
      receipt: await this.receipts.receiptFor({ documentId: s.id, version: 1, payloadSha256: s.payloadSha256, position: s.position, receivedAt: s.receivedAt }),
      receivedAt: s.receivedAt,
      ...(s.acknowledgement && { acknowledgement: s.acknowledgement }),
    };
  }
}

@QueryHandler(ListSubmissions)
export class ListSubmissionsHandler implements IQueryHandler<ListSubmissions> {
  constructor(private readonly reader: SubmissionReader) {}

  async execute({ callerOrgId, page }: ListSubmissions) {
    const { items, next } = paginate(this.reader.mine(callerOrgId), (s) => s.position, page);
    return { items: await Promise.all(items.map((s) => this.reader.render(s))), ...(next !== undefined && { next }) };
  }
}

@QueryHandler(GetSubmission)
export class GetSubmissionHandler implements IQueryHandler<GetSubmission> {
  constructor(private readonly reader: SubmissionReader) {}

  execute({ callerOrgId, submissionId }: GetSubmission) {
    return this.reader.render(this.reader.visible(callerOrgId, submissionId));
  }
}
