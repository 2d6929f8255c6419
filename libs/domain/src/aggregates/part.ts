import { conflict, invalid, notFound, unprocessable } from '../errors';
import { event, type BomLine, type DomainEvent } from '../events';
import type { Decider } from '../decider';
import { normalize } from '../decimal';

export interface PartState {
  exists: boolean;
  ownerOrgId?: string;
  declaredUnit?: string;
  bom: BomLine[];
}

/** What the handler looked up about a BOM line's supplier part before deciding. */
export interface SupplierPartFacts {
  supplierPartId: string;
  exists: boolean;
  ownerOrgId?: string;
  /** Part ids reachable from this supplier part through BOMs (to refuse cycles). */
  reachablePartIds: ReadonlySet<string>;
}

export type PartCommand =
  | {
      type: 'register-part';
      partId: string;
      ownerOrgId: string;
      partNumber: string;
      name: string;
      declaredUnit: string;
      partNumberTaken: boolean;
      at: string;
    }
  | { type: 'set-bom'; partId: string; callerOrgId: string; inputs: BomLine[]; suppliers: SupplierPartFacts[]; at: string };

export const partDecider: Decider<PartState, PartCommand, DomainEvent> = {
  initialState: () => ({ exists: false, bom: [] }),
  evolve(state, e) {
    switch (e.type) {
      case 'part.registered':
        return { ...state, exists: true, ownerOrgId: e.data.ownerOrgId, declaredUnit: e.data.declaredUnit };
      case 'part.bom-set':
        return { ...state, bom: e.data.inputs };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'register-part':
        if (state.exists) throw conflict('duplicate-id', `part ${command.partId} already exists`);
        if (command.partNumberTaken) throw conflict('duplicate-part-number', `you already registered a part numbered ${command.partNumber}`);
        return [
          event('part.registered', {
            partId: command.partId,
            ownerOrgId: command.ownerOrgId,
            partNumber: command.partNumber,
            name: command.name,
            declaredUnit: command.declaredUnit,
            registeredAt: command.at,
          }),
        ];
      case 'set-bom':
        return decideSetBom(command, state);
    }
  },
};

function decideSetBom(command: Extract<PartCommand, { type: 'set-bom' }>, state: PartState): DomainEvent[] {
  if (!state.exists) throw notFound('part-not-found', 'no such part');
  if (state.ownerOrgId !== command.callerOrgId) throw notFound('part-not-found', 'no such part');
  const seen = new Set<string>();
  command.inputs.forEach((line, index) => {
    const field = `inputs[${index}]`;
    if (seen.has(line.supplierPartId))
      throw invalid('duplicate-bom-line', `${field}: part listed twice`, [
        { field: `${field}.supplierPartId`, message: 'each supplier part may appear once' },
      ]);
    seen.add(line.supplierPartId);
    if (line.supplierPartId === command.partId) throw unprocessable('bom-cycle', `${field}: a part cannot be an input of itself`);
    const facts = command.suppliers.find((s) => s.supplierPartId === line.supplierPartId);
    if (!facts?.exists || facts.ownerOrgId !== line.supplierOrgId) {
      throw unprocessable('unknown-supplier-part', `${field}: organization ${line.supplierOrgId} has no part ${line.supplierPartId}`);
    }
    if (facts.reachablePartIds.has(command.partId))
      throw unprocessable('bom-cycle', `${field}: this input would make part ${command.partId} an input of itself`);
  });
  const inputs = command.inputs.map((line) => ({ ...line, quantity: normalize(line.quantity) }));
  return [event('part.bom-set', { partId: command.partId, ownerOrgId: command.callerOrgId, inputs, setAt: command.at })];
}

export const partOwnedBy = (state: PartState, orgId: string) => state.exists && state.ownerOrgId === orgId;
