import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Total } from '@exchange/domain/stages';
import { signWith } from '../keys';
import type { FootprintView } from './answer-steps';
import { requireCheck, type ScenarioContext, type Step } from './context';
import { buildAcknowledgement, buildAttestationDocument, buildDeclaration, declarationMismatches, totalMismatches } from './documents';
import { verifyDeclarationLocally } from './local-verification';
import { DECLARED_PART_KEY } from './scenario';

interface ReproduceAnswer {
  reproduced: boolean;
  total: Total;
  payloadSha256: string;
  matchesRecorded: boolean;
  eventsReplayed: number;
}

interface VerifyAnswer {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail?: string }>;
}

interface SubmissionView {
  id: string;
  status: string;
  jws: string;
  receipt: string;
  payloadSha256: string;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** Steps 6–8: certification, the EU declaration, and the regulator's own checks. */
export function declarationSteps(context: ScenarioContext): Step[] {
  const { issuer, certifier, regulator } = context.scenario.declaration;
  return [
    { title: `${issuer} grants ${certifier} verification of its footprint, scope derivation`, run: grantVerification },
    { title: `${certifier} reproduces and verifies the footprint of ${issuer}`, run: reproduceAndVerify },
    { title: `${certifier} signs and posts its attestation`, run: attest },
    { title: `${issuer} submits the EU declaration to ${regulator}`, run: submitDeclaration },
    { title: `${regulator} verifies the declaration and receipt locally`, run: verifyAsRegulator },
    { title: `${regulator} acknowledges the declaration`, run: acknowledge },
  ];
}

function declarationParties(context: ScenarioContext) {
  const { issuer, certifier, regulator } = context.scenario.declaration;
  return {
    issuer: context.participant(issuer),
    certifier: context.participant(certifier),
    regulator: context.participant(regulator),
    footprint: context.footprint(DECLARED_PART_KEY),
  };
}

async function grantVerification(context: ScenarioContext): Promise<string> {
  const { issuer, certifier, footprint } = declarationParties(context);
  const { id } = await issuer.client.post<{ id: string }>('/v1/grants', {
    resource: { type: 'footprint', id: footprint.id },
    granteeOrgId: certifier.orgId,
    purpose: 'verification',
    scope: 'derivation',
  });
  return `grant ${id}`;
}

async function reproduceAndVerify(context: ScenarioContext): Promise<string> {
  const { certifier, footprint } = declarationParties(context);
  const reproduction = await certifier.client.post<ReproduceAnswer>(`/v1/footprints/${footprint.id}/reproduce`, {});
  const totalDiffers = totalMismatches(reproduction.total, footprint.document.total);
  requireCheck(
    context,
    'reproduced',
    reproduction.reproduced && reproduction.matchesRecorded && totalDiffers.length === 0 && reproduction.payloadSha256 === footprint.payloadSha256,
    `reproduction does not match the recorded footprint: ${JSON.stringify(reproduction)}`,
  );
  const verification = await certifier.client.get<VerifyAnswer>(`/v1/footprints/${footprint.id}/verify`);
  const failed = verification.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail ?? 'failed'}`);
  requireCheck(context, 'verified', verification.ok && failed.length === 0, `verification failed: ${failed.join('; ') || 'ok is false'}`);
  return `${reproduction.eventsReplayed} events replayed, total ${reproduction.total.value}; ${verification.checks.length} checks ok`;
}

async function attest(context: ScenarioContext): Promise<string> {
  const { certifier, footprint } = declarationParties(context);
  const view = await certifier.client.get<FootprintView>(`/v1/footprints/${footprint.id}`);
  const document = buildAttestationDocument({
    id: randomUUID(),
    issuer: certifier.orgId,
    footprint: view.document,
    payloadSha256: view.payloadSha256,
    verified: Boolean(context.checks.reproduced && context.checks.verified),
    findings: [],
    validUntil: new Date(context.now().getTime() + ONE_YEAR_MS).toISOString(),
  });
  const jws = await signWith(certifier.signingKey, document, 'attestation+jws');
  const { id } = await certifier.client.post<{ id: string }>(`/v1/footprints/${footprint.id}/attestations`, { jws });
  context.outcome.attestationId = id;
  return `attestation ${id}, ${document.result}`;
}

async function submitDeclaration(context: ScenarioContext): Promise<string> {
  const { issuer, regulator, footprint } = declarationParties(context);
  const declaration = buildDeclaration(
    {
      id: randomUUID(),
      issuer: issuer.orgId,
      footprint: footprint.document,
      attestationIds: [requireValue(context.outcome.attestationId, 'attestation')],
      ddReportId: context.ddReport(DECLARED_PART_KEY).id,
    },
    context.scenario.declaration,
  );
  const mismatches = declarationMismatches(declaration, context.scenario.expected.declaration);
  requireCheck(context, 'declarationMatchesExpected', mismatches.length === 0, `declaration figures differ: ${mismatches.join('; ')}`);
  const jws = await signWith(issuer.signingKey, declaration, 'declaration+jws');
  const answer = await issuer.client.post<{ id: string; payloadSha256: string }>('/v1/submissions', { regulatorOrgId: regulator.orgId, jws });
  if (answer.id !== declaration.id) throw new Error(`submission id ${answer.id} is not the declaration's id ${declaration.id}`);
  context.outcome.submissionId = answer.id;
  context.outcome.declaration = {
    submissionId: answer.id,
    payloadSha256: answer.payloadSha256,
    cfpPerFunctionalUnit: declaration.cfpPerFunctionalUnit,
    cfpPerStage: declaration.cfpPerStage,
  };
  return `${declaration.cfpPerFunctionalUnit} kg CO2e/kWh over ${declaration.energyOverServiceLifeKWh} kWh`;
}

async function verifyAsRegulator(context: ScenarioContext): Promise<string> {
  const { issuer, regulator } = declarationParties(context);
  const submissionId = requireValue(context.outcome.submissionId, 'submission');
  const inbox = await regulator.client.listAll<{ id: string }>('/v1/submissions');
  if (!inbox.some((item) => item.id === submissionId)) throw new Error(`${regulator.key}'s inbox lacks submission ${submissionId}`);
  const submission = await regulator.client.get<SubmissionView>(`/v1/submissions/${submissionId}`);
  const issuerJwks = await regulator.client.get<JSONWebKeySet>(`/v1/organizations/${issuer.orgId}/jwks`);
  const exchangeJwks = await regulator.client.get<JSONWebKeySet>('/.well-known/jwks.json');
  const local = await verifyDeclarationLocally(
    { submissionId, issuerOrgId: issuer.orgId, jws: submission.jws, receipt: submission.receipt },
    issuerJwks,
    exchangeJwks,
  );
  context.checks.declarationSignatureVerified = local.declarationVerified && local.payloadSha256 === submission.payloadSha256;
  context.checks.receiptSignatureVerified = local.receiptVerified;
  if (local.problems.length > 0) return `problems: ${local.problems.join('; ')}`;
  return `${inbox.length} in inbox; declaration signature, receipt and payload hash hold`;
}

async function acknowledge(context: ScenarioContext): Promise<string> {
  const { issuer, regulator } = declarationParties(context);
  const outcome = requireValue(context.outcome.declaration, 'declaration');
  const accepted = Boolean(context.checks.declarationSignatureVerified && context.checks.receiptSignatureVerified);
  const acknowledgement = buildAcknowledgement({
    id: randomUUID(),
    issuer: regulator.orgId,
    submissionId: outcome.submissionId,
    payloadSha256: outcome.payloadSha256,
    accepted,
    comments: accepted ? 'Signatures and receipt verified independently.' : 'Local verification failed.',
  });
  const jws = await signWith(regulator.signingKey, acknowledgement, 'ack+jws');
  await regulator.client.post(`/v1/submissions/${outcome.submissionId}/acknowledge`, { jws });
  const seenByIssuer = await issuer.client.get<SubmissionView>(`/v1/submissions/${outcome.submissionId}`);
  context.checks.acknowledged = accepted && seenByIssuer.status === 'acknowledged';
  return `${acknowledgement.result}; ${issuer.key} sees status ${seenByIssuer.status}`;
}

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} yet: an earlier step did not run`);
  return value;
}
