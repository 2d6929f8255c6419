import { randomUUID } from 'node:crypto';
import { canonicalSha256 } from '@exchange/domain';
import { footprintDraft, type Participant } from '../../support/participants';

const OWN = { rawMaterialAcquisition: '1.25', mainProduction: '2', distribution: '0.5', endOfLife: '0' };
const TOTAL = { ...OWN, value: '3.75' };
const REQUEST_TIMEOUT_MS = 15_000;

/** One signed footprint submission, sent with the same Idempotency-Key and body every time. */
export interface Submission {
  org: Participant;
  key: string;
  body: { jws: string; derivation: unknown };
  footprintId: string;
  version: number;
  /** base64url SHA-256 of the signed canonical document. */
  payloadSha256: string;
  attempts: Answer[];
}

export type Answer = { kind: 'answered'; status: number; body: any; headers: Headers } | { kind: 'no-answer'; error: string };

/** POSTs the submission; a connection refused or reset (the exchange was killed) is "no-answer". */
export async function send(baseUrl: string, s: Submission): Promise<Answer> {
  let answer: Answer;
  try {
    const response = await fetch(`${baseUrl}/v1/footprints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.org.token}`, 'idempotency-key': s.key },
      body: JSON.stringify(s.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    answer = { kind: 'answered', status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  } catch (error) {
    answer = { kind: 'no-answer', error: String((error as { cause?: unknown }).cause ?? error) };
  }
  s.attempts.push(answer);
  return answer;
}

/** A new signed footprint version of `footprintId` (a new footprint when absent). */
export async function newSubmission(org: Participant, partId: string, footprintId: string = randomUUID(), version = 1): Promise<Submission> {
  const draft = footprintDraft({ issuer: org.id, partId, own: OWN, total: TOTAL, id: footprintId, version });
  return {
    org,
    key: randomUUID(),
    body: { jws: await org.sign(draft.document, 'cfp+jws'), derivation: draft.derivation },
    footprintId,
    version,
    payloadSha256: canonicalSha256(draft.document),
    attempts: [],
  };
}

/**
 * One client of the steady load: an organization submitting, one at a time, new versions of its
 * current footprint and now and then a new footprint. A version follows only once the previous
 * one is known to be recorded. A submission that got no answer stays pending until retried.
 */
export class LoadClient {
  readonly submissions: Submission[] = [];
  /** Recorded versions per footprint, as this client learned them (201, or found recorded). */
  readonly recorded = new Map<string, number>();
  pending?: Submission;
  private current?: string;
  unexpected: string[] = [];

  constructor(
    readonly org: Participant,
    readonly partId: string,
  ) {}

  /** Submits until `load.stopped` or until a request gets no answer. */
  async run(baseUrl: string, load: { stopped: boolean }): Promise<void> {
    while (!load.stopped && !this.pending) {
      const s = await this.next();
      const answer = await send(baseUrl, s);
      if (answer.kind === 'no-answer') this.pending = s;
      else this.settle(s, answer);
    }
  }

  /** The retry of the pending submission: the same Idempotency-Key and body. */
  async retryPending(baseUrl: string): Promise<{ submission: Submission; landedBefore: boolean; answer: Answer } | undefined> {
    const s = this.pending;
    if (!s) return undefined;
    const before = await s.org.call('GET', `/v1/footprints/${s.footprintId}?version=${s.version}`);
    const landedBefore = before.status === 200 && before.body.payloadSha256 === s.payloadSha256;
    const answer = await send(baseUrl, s);
    if (answer.kind === 'no-answer') return { submission: s, landedBefore, answer };
    this.pending = undefined;
    if (answer.status === 409 && answer.body?.code === 'version-conflict' && landedBefore) this.recorded.set(s.footprintId, s.version);
    else this.settle(s, answer);
    return { submission: s, landedBefore, answer };
  }

  private settle(s: Submission, answer: Extract<Answer, { kind: 'answered' }>): void {
    if (answer.status === 201) this.recorded.set(s.footprintId, s.version);
    else this.unexpected.push(`${s.footprintId} v${s.version}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  private async next(): Promise<Submission> {
    const latest = this.current === undefined ? undefined : this.recorded.get(this.current);
    const fresh = latest === undefined || Math.random() < 0.25;
    const s = fresh ? await newSubmission(this.org, this.partId) : await newSubmission(this.org, this.partId, this.current, latest + 1);
    if (fresh) this.current = s.footprintId;
    this.submissions.push(s);
    return s;
  }
}
