import { resourceIdFor, type CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, streams, type AnswerDocuments, type RequestKind } from '@exchange/domain';
import { toUtc } from '../../infrastructure/clock';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';

export class CreateRequest {
  constructor(
    readonly requesterOrgId: string,
    readonly args: { kind: RequestKind; supplierOrgId: string; supplierPartId: string; message?: string; dueDate?: string },
    readonly context: CommandContext,
  ) {}
}
export class AnswerRequest {
  constructor(
    readonly callerOrgId: string,
    readonly requestId: string,
    readonly documentId: string,
    readonly context: CommandContext,
  ) {}
}
export class RejectRequest {
  constructor(
    readonly callerOrgId: string,
    readonly requestId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CreateRequest)
export class CreateRequestHandler implements ICommandHandler<CreateRequest> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ requesterOrgId, args, context }: CreateRequest) {
    const requestId = resourceIdFor(context, 'request');
    const supplierPartOwner = this.readModel.parts.get(args.supplierPartId)?.ownerOrgId;
    await this.runner.execute(
      {
        streamId: streams.request(requestId),
        decider: requestDecider,
        command: {
          type: 'create-request',
          requestId,
          requesterOrgId,
          kind: args.kind,
          supplierOrgId: args.supplierOrgId,
          supplierPartId: args.supplierPartId,
          supplierPartOwner,
          ...(args.message !== undefined && { message: args.message }),
          ...(args.dueDate !== undefined && { dueDate: toUtc(args.dueDate) }),
          at: context.now,
        },
      },
      context,
    );
    return { id: requestId, status: 'open' };
  }
}

@CommandHandler(AnswerRequest)
export class AnswerRequestHandler implements ICommandHandler<AnswerRequest> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ callerOrgId, requestId, documentId, context }: AnswerRequest) {
    const footprint = this.readModel.footprints.get(documentId);
    const report = this.readModel.ddReports.get(documentId);
    const documents: AnswerDocuments = {
      ...(footprint && { footprint: { id: footprint.id, issuer: footprint.issuer, partId: footprint.partId } }),
      ...(report && { 'dd-report': { id: report.id, issuer: report.issuer, partId: report.partId } }),
    };
    await this.runner.execute(
      {
        streamId: streams.request(requestId),
        decider: requestDecider,
        command: {
          type: 'answer-request',
          requestId,
          callerOrgId,
          documents,
          at: context.now,
        },
      },
      context,
    );
  }
}

@CommandHandler(RejectRequest)
export class RejectRequestHandler implements ICommandHandler<RejectRequest> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ callerOrgId, requestId, reason, context }: RejectRequest) {
    await this.runner.execute(
      {
        streamId: streams.request(requestId),
        decider: requestDecider,
        command: {
          type: 'reject-request',
          requestId,
          callerOrgId,
          reason,
          at: context.now,
        },
      },
      context,
    );
  }
}
