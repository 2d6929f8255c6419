import { decodeJwsUnverified } from '@exchange/signing';
import { ExchangeClient } from '../exchange-client';
import { EXIT_OK, parseCommandArgs, printJson, readJsonFile, UsageError } from './cli-io';

export const SUBMIT_KINDS = ['footprint', 'dd-report', 'attestation', 'submission', 'acknowledge'] as const;
export type SubmitKind = (typeof SUBMIT_KINDS)[number];

export const DEFAULT_URL = 'http://127.0.0.1:3000';
export const SUBMIT_USAGE = `submit [--url ${DEFAULT_URL}] --client-id ID --client-secret SECRET [--idempotency-key KEY] <${SUBMIT_KINDS.join('|')}> <body.json|->`;

/** Gets a token with client credentials and POSTs the body where its kind goes; prints the answer. */
export async function submitCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: 'string', default: DEFAULT_URL },
    'client-id': { type: 'string', default: process.env.EXCHANGE_CLIENT_ID },
    'client-secret': { type: 'string', default: process.env.EXCHANGE_CLIENT_SECRET },
    'idempotency-key': { type: 'string' },
  });
  const [kind, bodyPath] = positionals;
  if (positionals.length !== 2 || !isSubmitKind(kind)) throw new UsageError(SUBMIT_USAGE);
  if (!values['client-id'] || !values['client-secret']) throw new UsageError('--client-id and --client-secret are required');
  const body = readJsonFile(bodyPath) as Record<string, unknown>;
  const path = submitPath(kind, body);
  const client = await ExchangeClient.authenticate(values.url, values['client-id'], values['client-secret']);
  printJson(await client.post(path, body, { idempotencyKey: values['idempotency-key'] }));
  return EXIT_OK;
}

export function isSubmitKind(value: string | undefined): value is SubmitKind {
  return (SUBMIT_KINDS as readonly (string | undefined)[]).includes(value);
}

/** Where a body of this kind is POSTed; attestations and acknowledgements name their target inside the JWS. */
export function submitPath(kind: SubmitKind, body: Record<string, unknown>): string {
  switch (kind) {
    case 'footprint':
      return '/v1/footprints';
    case 'dd-report':
      return '/v1/dd-reports';
    case 'submission':
      return '/v1/submissions';
    case 'attestation':
      return `/v1/footprints/${encodeURIComponent(signedField(body, 'footprintId'))}/attestations`;
    case 'acknowledge':
      return `/v1/submissions/${encodeURIComponent(signedField(body, 'submissionId'))}/acknowledge`;
  }
}

function signedField(body: Record<string, unknown>, field: string): string {
  if (typeof body.jws !== 'string') throw new UsageError('the body must carry the signed document as "jws"');
  const { payload } = decodeJwsUnverified(body.jws);
  const value = (payload as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string') throw new UsageError(`the signed document has no "${field}"`);
  return value;
}
