import type { RequestKind } from '@exchange/domain/events';
import { ExchangeClient } from '../exchange-client';
import { generateKey, publicJwks } from '../keys';
import type { ScenarioContext, Step } from './context';
import { bomRelationships, partByKey, type ScenarioOrganization, type ScenarioPart } from './scenario';

interface RegisteredOrganization {
  id: string;
  clientId: string;
  clientSecret: string;
}

/** Step 1: the operator registers each organization with a fresh public key; each logs in. */
export function organizationSteps(context: ScenarioContext): Step[] {
  return context.scenario.organizations.map((organization) => ({
    title: `operator registers ${organization.key} as ${organization.roles.join(' and ')}`,
    run: (ctx) => registerOrganization(ctx, organization),
  }));
}

async function registerOrganization(context: ScenarioContext, organization: ScenarioOrganization): Promise<string> {
  const signingKey = await generateKey('EdDSA');
  const registered = await context.operator.post<RegisteredOrganization>('/v1/organizations', {
    name: organization.name,
    roles: organization.roles,
    jwks: publicJwks(signingKey),
  });
  const client = await ExchangeClient.authenticate(context.operator.baseUrl, registered.clientId, registered.clientSecret);
  context.participants.set(organization.key, {
    ...organization,
    orgId: registered.id,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    signingKey,
    client,
  });
  return `EdDSA key ${signingKey.kid.slice(0, 8)}…, token issued`;
}

/** Step 2: owners register their parts, then their bills of material. */
export function partSteps(context: ScenarioContext): Step[] {
  return context.scenario.parts.map((part) => ({
    title: `${part.owner} registers ${part.partNumber}, per ${part.declaredUnit}`,
    run: (ctx) => registerPart(ctx, part),
  }));
}

async function registerPart(context: ScenarioContext, part: ScenarioPart): Promise<string> {
  const owner = context.participant(part.owner);
  const { id } = await owner.client.post<{ id: string }>('/v1/parts', {
    partNumber: part.partNumber,
    name: part.name,
    declaredUnit: part.declaredUnit,
  });
  context.part(part.key).id = id;
  const bom = part.bom ?? [];
  if (bom.length === 0) return 'no BOM';
  await owner.client.put(`/v1/parts/${id}/bom`, {
    inputs: bom.map((line) => ({
      supplierOrgId: context.ownerOf(line.part).orgId,
      supplierPartId: context.partId(line.part),
      quantity: line.quantity,
    })),
  });
  return `BOM ${bom.map((line) => `${line.quantity} × ${partByKey(context.scenario, line.part).partNumber}`).join(', ')}`;
}

/** Step 3: for every BOM line the buyer asks the supplier for a CFP and a DD report. */
export function requestSteps(context: ScenarioContext): Step[] {
  return bomRelationships(context.scenario.parts).map(({ buyer, line }) => {
    const supplierPart = partByKey(context.scenario, line.part);
    return {
      title: `${buyer.owner} asks ${supplierPart.owner} for CFP and DD of ${supplierPart.partNumber}`,
      run: async (ctx) => {
        for (const kind of ['cfp', 'dd'] as const) await sendRequest(ctx, buyer.owner, supplierPart, kind);
      },
    };
  });
}

async function sendRequest(context: ScenarioContext, buyerKey: string, supplierPart: ScenarioPart, kind: RequestKind): Promise<void> {
  const buyer = context.participant(buyerKey);
  const { id } = await buyer.client.post<{ id: string }>('/v1/requests', {
    kind,
    supplierOrgId: context.ownerOf(supplierPart.key).orgId,
    supplierPartId: context.partId(supplierPart.key),
    message: `${kind === 'cfp' ? 'Carbon footprint' : 'Due-diligence report'} for ${supplierPart.partNumber}, please`,
  });
  context.requests.push({ id, kind, buyerKey, supplierKey: supplierPart.owner, partKey: supplierPart.key });
}
