import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwsUnverified } from '@exchange/signing';
import { generateKey, readKeyFile, signWith, writeKeyFile } from '../keys';
import { isSubmitKind, submitPath } from './submit';

describe('key files', () => {
  it('are written readable by the owner only, never overwritten, and read back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cli-keys-')), 'key.json');
    const key = await generateKey('ES256');
    writeKeyFile(path, key);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => writeKeyFile(path, key)).toThrow(/EEXIST/);
    expect(readKeyFile(path)).toEqual(key);
    expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('sign the canonical document under their kid and the requested typ', async () => {
    const key = await generateKey('EdDSA');
    const jws = await signWith(key, { b: 1, a: 'x' }, 'cfp+jws');
    expect(decodeJwsUnverified(jws)).toEqual({ header: { alg: 'EdDSA', kid: key.kid, typ: 'cfp+jws' }, payload: { a: 'x', b: 1 } });
    expect(Buffer.from(jws.split('.')[1], 'base64url').toString()).toBe('{"a":"x","b":1}');
  });
});

describe('where submit posts', () => {
  it('knows the five kinds', () => {
    expect(['footprint', 'dd-report', 'attestation', 'submission', 'acknowledge'].every(isSubmitKind)).toBe(true);
    expect(isSubmitKind('grant')).toBe(false);
  });

  it('posts documents to their collections', () => {
    expect(submitPath('footprint', {})).toBe('/v1/footprints');
    expect(submitPath('dd-report', {})).toBe('/v1/dd-reports');
    expect(submitPath('submission', {})).toBe('/v1/submissions');
  });

  it('takes the target of attestations and acknowledgements from the signed document', async () => {
    const key = await generateKey('EdDSA');
    const attestation = await signWith(key, { id: 'a', footprintId: 'fp-1' }, 'attestation+jws');
    const ack = await signWith(key, { id: 'k', submissionId: 'sub-1' }, 'ack+jws');
    expect(submitPath('attestation', { jws: attestation })).toBe('/v1/footprints/fp-1/attestations');
    expect(submitPath('acknowledge', { jws: ack })).toBe('/v1/submissions/sub-1/acknowledge');
    expect(() => submitPath('acknowledge', { jws: attestation })).toThrow(/submissionId/);
  });
});
