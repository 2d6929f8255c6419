import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, streams, type AnswerDocuments, type RequestKind } from '@exchange/domain';
import { Clock, toUtc } from '../../infrastructure/clock';
import { EventRecorder } from '../../pipeline/event-recorder';
import { ReadModel } from '@exchange/projections';
import { newResourceId } from '../../infrastructure/idempotency-context';

export class CreateRequest {
  constructor(
    readonly requesterOrgId: string,
    readonly args: { kind: RequestKind; supplierOrgId: string; supplierPartId: string; message?: string; dueDate?: string },
  ) {}
}
export class AnswerRequest {
  constructor(
    readonly callerOrgId: string,
    readonly requestId: string,
    readonly documentId: string,
  ) {}
}
export class RejectRequest {
  constructor(
    readonly callerOrgId: string,
    readonly requestId: string,
    readonly reason: string,
  ) {}
}

@CommandHandler(CreateRequest)
export class CreateRequestHandler implements ICommandHandler<CreateRequest> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ requesterOrgId, args }: CreateRequest) {
    const requestId = newResourceId();
    const supplierPartOwner = this.readModel.parts.get(args.supplierPartId)?.ownerOrgId;
    await this.recorder.execute(streams.request(requestId), requestDecider, {
      type: 'create-request',
      requestId,
      requesterOrgId,
      kind: args.kind,
      supplierOrgId: args.supplierOrgId,
      supplierPartId: args.supplierPartId,
      supplierPartOwner,
      ...(args.message !== undefined && { message: args.message }),
      ...(args.dueDate !== undefined && { dueDate: toUtc(args.dueDate) }),
      at: this.clock.now(),
    });
    return { id: requestId, status: 'open' };
  }
}

@CommandHandler(AnswerRequest)
export class AnswerRequestHandler implements ICommandHandler<AnswerRequest> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, requestId, documentId }: AnswerRequest) {
    const footprint = this.readModel.footprints.get(documentId);
    const report = this.readModel.ddReports.get(documentId);
    const documents: AnswerDocuments = {
      ...(footprint && { footprint: { id: footprint.id, issuer: footprint.issuer, partId: footprint.partId } }),
      ...(report && { 'dd-report': { id: report.id, issuer: report.issuer, partId: report.partId } }),
    };
    await this.recorder.execute(streams.request(requestId), requestDecider, {
      type: 'answer-request',
      requestId,
      callerOrgId,
      documents,
      at: this.clock.now(),
    });
  }
}

@CommandHandler(RejectRequest)
export class RejectRequestHandler implements ICommandHandler<RejectRequest> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, requestId, reason }: RejectRequest) {
    await this.recorder.execute(streams.request(requestId), requestDecider, {
      type: 'reject-request',
      requestId,
      callerOrgId,
      reason,
      at: this.clock.now(),
    });
  }
}
