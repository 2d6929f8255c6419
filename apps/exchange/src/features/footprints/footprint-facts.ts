import { Injectable } from '@nestjs/common';
import type { InputFacts, PartFacts, PinnedInput } from '@exchange/domain';
import { AccessService } from '../../access/access.service';
import { ReadModel } from '@exchange/projections';

/** Gathers, from the read side, the facts the footprint decider needs about a part and its inputs. */
@Injectable()
export class FootprintFacts {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
  ) {}

  part(partId: string): PartFacts | undefined {
    const part = this.readModel.parts.get(partId);
    return part && { partId: part.id, ownerOrgId: part.ownerOrgId, declaredUnit: part.declaredUnit, bom: part.bom };
  }

  /** An input the submitter may not use is answered exactly like an unknown one. */
  inputs(submitterOrgId: string, pinned: readonly Pick<PinnedInput, 'footprintId' | 'version'>[]): InputFacts[] {
    return pinned.map(({ footprintId, version }) => {
      const found = this.readModel.footprints.version(footprintId, version);
      const usable =
        found &&
        this.access.canRead(
          submitterOrgId,
          { type: 'footprint', id: footprintId, ownerOrgId: found.issuer },
          { scope: 'document', purposes: ['downstream-aggregation'] },
        );
      if (!found || !usable) return { footprintId, version };
      return {
        footprintId,
        version,
        found: {
          issuer: found.issuer,
          partId: found.partId,
          payloadSha256: found.payloadSha256,
          total: found.total,
          upstreamFootprintIds: this.readModel.footprints.upstreamIds(footprintId, version),
        },
      };
    });
  }
}
