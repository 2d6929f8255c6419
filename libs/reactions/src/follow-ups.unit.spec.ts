import { event, type Declaration } from '@exchange/domain';
import { derivedId, followUpsOf, type FollowUpFacts } from './follow-ups';

const AT = '2026-06-01T10:00:00.000Z';
const facts = (over: Partial<FollowUpFacts> = {}): FollowUpFacts => ({ pinnersOf: () => [], ddReportIssuer: () => undefined, ...over });

describe('followUpsOf: what a fact causes', () => {
  it('grants the requester of an answered request a document read for downstream aggregation, under an id derived from the request', () => {
    const answered = event('request.answered', {
      requestId: 'rq-1',
      requesterOrgId: 'oem',
      supplierOrgId: 'cam',
      documentType: 'dd-report',
      documentId: 'dd-1',
      answeredAt: AT,
    });
    const [grant, ...rest] = followUpsOf(answered, facts());
    const grantId = derivedId('grant', 'rq-1', 'dd-report', 'dd-1', 'oem');
    expect(rest).toEqual([]);
    expect(grant).toEqual({
      reaction: 'grant for the requester',
      cause: grantId,
      streamId: `grant-${grantId}`,
      aggregate: 'grant',
      at: AT,
      command: {
        type: 'create-grant',
        grantId,
        granteeExists: true,
        ownerOrgId: 'cam',
        granteeOrgId: 'oem',
        resource: { type: 'dd-report', id: 'dd-1' },
        purpose: 'downstream-aggregation',
        scope: 'document',
        origin: { kind: 'request', requestId: 'rq-1' },
        at: AT,
      },
    });
  });

  it.each([
    [
      'the issuer’s own DD report',
      'oem',
      ['regulatory grant on the submission', 'regulatory grant on the footprint', 'regulatory grant on the DD report'],
    ],
    ['another’s DD report', 'cam', ['regulatory grant on the submission', 'regulatory grant on the footprint']],
  ])('grants the regulator of a received submission citing %s what it needs', (_case, ddIssuer, reactions) => {
    const declaration = { footprintId: 'fp-1', ddReportId: 'dd-1' } as Declaration;
    const received = event('submission.received', {
      submissionId: 'sub-1',
      issuer: 'oem',
      regulatorOrgId: 'eu',
      jws: 'j',
      payloadSha256: 'p',
      declaration,
      receivedAt: AT,
    });
    const followUps = followUpsOf(received, facts({ ddReportIssuer: () => ddIssuer }));
    expect(followUps.map((f) => f.reaction)).toEqual(reactions);
    expect(followUps.map((f) => f.aggregate === 'grant' && [f.command.type === 'create-grant' && f.command.scope])).toEqual(
      reactions.map((r) => [r.endsWith('footprint') ? 'derivation' : 'document']),
    );
  });

  it('tells every document pinning a superseded version, and nobody of a first version', () => {
    const submitted = (version: number) =>
      event('footprint.submitted', {
        footprintId: 'fp-ore',
        version,
        issuer: 'mine',
        partId: 'ore',
        jws: 'j',
        payloadSha256: 'p',
        document: {} as never,
        derivation: {} as never,
        receivedAt: AT,
      });
    const pinners = facts({ pinnersOf: (id, v) => (id === 'fp-ore' && v === 1 ? [{ footprintId: 'fp-cam', version: 3 }] : []) });
    expect(followUpsOf(submitted(1), pinners)).toEqual([]);
    expect(followUpsOf(submitted(2), pinners)).toEqual([
      {
        reaction: 'notice of a superseded input',
        cause: derivedId('input-superseded', 'fp-ore', '1', 'fp-cam', '3'),
        streamId: 'footprint-fp-cam',
        aggregate: 'footprint',
        at: AT,
        command: {
          type: 'note-input-superseded',
          pinnedBy: 'fp-cam',
          pinnedByVersion: 3,
          footprintId: 'fp-ore',
          version: 1,
          supersededBy: 2,
          at: AT,
        },
      },
    ]);
  });

  it('causes nothing from other facts', () =>
    expect(
      followUpsOf(
        event('part.registered', { partId: 'p', ownerOrgId: 'o', partNumber: 'n', name: 'n', declaredUnit: 'kilogram', registeredAt: AT }),
        facts(),
      ),
    ).toEqual([]));
});
