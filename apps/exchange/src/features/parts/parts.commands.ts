import { resourceIdFor, type CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { partDecider, streams, type BomLine } from '@exchange/domain';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';

export class RegisterPart {
  constructor(
    readonly ownerOrgId: string,
    readonly args: { partNumber: string; name: string; declaredUnit: string },
    readonly context: CommandContext,
  ) {}
}

export class SetBom {
  constructor(
    readonly callerOrgId: string,
    readonly partId: string,
    readonly inputs: BomLine[],
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterPart)
export class RegisterPartHandler implements ICommandHandler<RegisterPart> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ ownerOrgId, args, context }: RegisterPart) {
    const partId = resourceIdFor(context, 'part');
    const partNumberTaken = [...this.readModel.parts.all()].some((p) => p.ownerOrgId === ownerOrgId && p.partNumber === args.partNumber);
    await this.runner.execute(
      {
        streamId: streams.part(partId),
        decider: partDecider,
        command: {
          type: 'register-part',
          partId,
          ownerOrgId,
          ...args,
          partNumberTaken,
          at: context.now,
        },
      },
      context,
    );
    return { id: partId };
  }
}

@CommandHandler(SetBom)
export class SetBomHandler implements ICommandHandler<SetBom> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ callerOrgId, partId, inputs, context }: SetBom) {
    const plainInputs = inputs.map(({ supplierOrgId, supplierPartId, quantity }) => ({ supplierOrgId, supplierPartId, quantity }));
    const suppliers = plainInputs.map((line) => {
      const part = this.readModel.parts.get(line.supplierPartId);
      return {
        supplierPartId: line.supplierPartId,
        exists: part !== undefined,
        ownerOrgId: part?.ownerOrgId,
        reachablePartIds: this.readModel.parts.reachableFrom(line.supplierPartId),
      };
    });
    await this.runner.execute(
      {
        streamId: streams.part(partId),
        decider: partDecider,
        command: {
          type: 'set-bom',
          partId,
          callerOrgId,
          inputs: plainInputs,
          suppliers,
          at: context.now,
        },
      },
      context,
    );
  }
}
