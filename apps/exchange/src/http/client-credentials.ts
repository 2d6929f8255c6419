import { DomainError } from '@exchange/domain';

/** The client credentials a token request presents (RFC 6749 section 2.3.1), before they are checked. */
export interface ClientCredentials {
  id?: string;
  secret?: string;
}

const invalidClient = (message: string) => new DomainError('unauthenticated', 'invalid-client', message);

/**
 * The credentials of a token request: HTTP Basic when the Authorization header carries them (each
 * part percent-encoded), else the body's client_id and client_secret. A Basic credential that does
 * not decode is a 401 invalid-client, like a wrong one.
 */
export function clientCredentialsOf(
  authorization: string | undefined,
  body: { client_id?: unknown; client_secret?: unknown } | undefined,
): ClientCredentials {
  const basic = parseBasic(authorization);
  if (basic) return basic;
  const id = typeof body?.client_id === 'string' ? body.client_id : undefined;
  const secret = typeof body?.client_secret === 'string' ? body.client_secret : undefined;
  return { ...(id !== undefined && { id }), ...(secret !== undefined && { secret }) };
}

function parseBasic(header: string | undefined): Required<ClientCredentials> | undefined {
  const match = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: percentDecoded(decoded.slice(0, colon)), secret: percentDecoded(decoded.slice(colon + 1)) };
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidClient('the Basic credential is not percent-encoded UTF-8');
  }
}
