import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { partDecider, streams, type BomLine } from '@exchange/domain';
import { Clock } from '../../infrastructure/clock';
import { EventRecorder } from '../../pipeline/event-recorder';
import { ReadModel } from '@exchange/projections';
import { newResourceId } from '../../infrastructure/idempotency-context';

export class RegisterPart {
  constructor(
    readonly ownerOrgId: string,
    readonly args: { partNumber: string; name: string; declaredUnit: string },
  ) {}
}

export class SetBom {
  constructor(
    readonly callerOrgId: string,
    readonly partId: string,
    readonly inputs: BomLine[],
  ) {}
}

@CommandHandler(RegisterPart)
export class RegisterPartHandler implements ICommandHandler<RegisterPart> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ ownerOrgId, args }: RegisterPart) {
    const partId = newResourceId();
    const partNumberTaken = [...this.readModel.parts.values()].some((p) => p.ownerOrgId === ownerOrgId && p.partNumber === args.partNumber);
    await this.recorder.execute(streams.part(partId), partDecider, {
      type: 'register-part',
      partId,
      ownerOrgId,
      ...args,
      partNumberTaken,
      at: this.clock.now(),
    });
    return { id: partId };
  }
}

@CommandHandler(SetBom)
export class SetBomHandler implements ICommandHandler<SetBom> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, partId, inputs }: SetBom) {
    const plainInputs = inputs.map(({ supplierOrgId, supplierPartId, quantity }) => ({ supplierOrgId, supplierPartId, quantity }));
    const suppliers = plainInputs.map((line) => {
      const part = this.readModel.parts.get(line.supplierPartId);
      return {
        supplierPartId: line.supplierPartId,
        exists: part !== undefined,
        ownerOrgId: part?.ownerOrgId,
        reachablePartIds: this.readModel.reachablePartIds(line.supplierPartId),
      };
    });
    await this.recorder.execute(streams.part(partId), partDecider, {
      type: 'set-bom',
      partId,
      callerOrgId,
      inputs: plainInputs,
      suppliers,
      at: this.clock.now(),
    });
  }
}
