import { event, type BomLine } from '../events';
import { deciderSpec } from '../testing/decider-spec';
import { partDecider, type PartCommand, type SupplierPartFacts } from './part';

const spec = deciderSpec(partDecider);
const AT = '2026-03-01T10:00:00.000Z';

const register = (over: Partial<Extract<PartCommand, { type: 'register-part' }>> = {}): PartCommand => ({
  type: 'register-part',
  partId: 'cam',
  ownerOrgId: 'kanto',
  partNumber: 'CAM-811',
  name: 'NMC811 cathode active material',
  declaredUnit: 'kilogram',
  partNumberTaken: false,
  at: AT,
  ...over,
});
const registered = event('part.registered', {
  partId: 'cam',
  ownerOrgId: 'kanto',
  partNumber: 'CAM-811',
  name: 'NMC811 cathode active material',
  declaredUnit: 'kilogram',
  registeredAt: AT,
});

const line = (supplierPartId: string, quantity = '1.4', supplierOrgId = `${supplierPartId}-maker`): BomLine => ({
  supplierOrgId,
  supplierPartId,
  quantity,
});
const supplierPart = (supplierPartId: string, over: Partial<SupplierPartFacts> = {}): SupplierPartFacts => ({
  supplierPartId,
  exists: true,
  ownerOrgId: `${supplierPartId}-maker`,
  reachablePartIds: new Set(),
  ...over,
});
const setBom = (
  inputs: BomLine[],
  suppliers: SupplierPartFacts[] = inputs.map((l) => supplierPart(l.supplierPartId)),
  callerOrgId = 'kanto',
): PartCommand => ({
  type: 'set-bom',
  partId: 'cam',
  callerOrgId,
  inputs,
  suppliers,
  at: AT,
});

describe('part decider', () => {
  describe('register-part', () => {
    it('registers', () => spec.given([]).when(register()).then([registered]));
    it('refuses an id that exists', () => spec.given([registered]).when(register()).thenRefused('conflict', 'duplicate-id'));
    it('refuses a part number the owner already used', () =>
      spec
        .given([])
        .when(register({ partNumberTaken: true }))
        .thenRefused('conflict', 'duplicate-part-number'));
  });

  describe('set-bom', () => {
    it('sets the bill of materials, with quantities normalized', () =>
      spec
        .given([registered])
        .when(setBom([line('niso4', '1.40'), line('li2co3', '0.380')]))
        .then([event('part.bom-set', { partId: 'cam', ownerOrgId: 'kanto', inputs: [line('niso4', '1.4'), line('li2co3', '0.38')], setAt: AT })]));

    it('does not know a part that does not exist', () =>
      spec
        .given([])
        .when(setBom([line('niso4')]))
        .thenRefused('not-found', 'part-not-found'));
    it("hides another organization's part", () =>
      spec
        .given([registered])
        .when(setBom([line('niso4')], undefined, 'stranger'))
        .thenRefused('not-found', 'part-not-found'));

    it('refuses a supplier part listed twice', () =>
      spec
        .given([registered])
        .when(setBom([line('niso4'), line('niso4', '2')]))
        .thenRefused('invalid', 'duplicate-bom-line', {
          errors: [{ field: 'inputs[1].supplierPartId', message: 'each supplier part may appear once' }],
        }));

    it('refuses the part as its own input', () =>
      spec
        .given([registered])
        .when(setBom([line('cam', '1', 'kanto')]))
        .thenRefused('unprocessable', 'bom-cycle'));

    it('refuses a supplier part that does not exist', () =>
      spec
        .given([registered])
        .when(setBom([line('ghost')], [supplierPart('ghost', { exists: false, ownerOrgId: undefined })]))
        .thenRefused('unprocessable', 'unknown-supplier-part'));

    it('refuses a supplier part named under the wrong supplier', () =>
      spec
        .given([registered])
        .when(setBom([line('niso4', '1.4', 'someone-else')]))
        .thenRefused('unprocessable', 'unknown-supplier-part'));

    it('refuses a supplier part without facts', () =>
      spec
        .given([registered])
        .when(setBom([line('niso4')], []))
        .thenRefused('unprocessable', 'unknown-supplier-part'));

    it("refuses a supplier part that already leads back to this part, naming only the caller's own part", () =>
      spec
        .given([registered])
        .when(setBom([line('cell')], [supplierPart('cell', { reachablePartIds: new Set(['pack', 'cam']) })]))
        .thenRefused('unprocessable', 'bom-cycle', { message: /an input of itself/ }));
  });
});
