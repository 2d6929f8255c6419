import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { canonicalSha256 } from '@exchange/domain';
import { signCompactByHand } from '@exchange/signing/testing/hand-made-jws';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import {
  ddReportDraft,
  footprintDraft,
  http,
  registerParticipant,
  submitFootprint,
  type HttpAnswer,
  type Participant,
} from '../support/participants';
import { refused } from '../support/refusals';
import { describeAnswer, recordAttack } from './support/attack-table';

/**
 * Hostile input: every malformed, oversized, mistyped or self-referencing body, path, query or
 * header is answered with a clear application/problem+json (400, 413, 415 or 422), appends no
 * event, and never produces a 5xx.
 *
 * Choices made here (and written into the OpenAPI description):
 * - a malformed UUID, in a path or in a body, is a 400 (it can never name anything; 404 is for
 *   well-formed ids the caller cannot see);
 * - a body other than application/json (or application/*+json) is a 415; the token endpoint alone
 *   also takes application/x-www-form-urlencoded;
 * - a JSON body nested deeper than 64 levels is a 400 too-deeply-nested, before any parsing;
 * - text fields refuse C0 and C1 control characters (NUL, ESC, CSI, ...), DEL and lone
 *   surrogates; other Unicode, U+2028/U+2029 included, is accepted as text (valid JSON and UTF-8,
 *   no effect on terminals or on canonical JSON).
 */

const OWN = { rawMaterialAcquisition: '5.2', mainProduction: '2.1', distribution: '0.4', endOfLife: '0' };
const TOTAL = { ...OWN, value: '7.7' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Decimal strings that no figure may carry: exponent, not-a-number, other notations, too many digits. */
const BAD_DECIMALS: [string, string][] = [
  ['1e309', '1e309'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['-0', '-0'],
  ['0x10', '0x10'],
  ['+1', '+1'],
  ['.5', '.5'],
  ['1.', '1.'],
  ['1,5', '1,5'],
  ['a 400-digit number', '9'.repeat(400)],
  ['60 fractional digits', `0.${'1'.repeat(60)}`],
  ['a negative figure', '-1'],
  ['whitespace around a figure', ' 1 '],
  ['an empty string', ''],
];

describe('attacks: hostile input is refused with problem+json and changes nothing', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let buyer: Participant;
  let supplierPart: string;
  let buyerPart: string;
  let upstream: Awaited<ReturnType<typeof submitFootprint>>;
  let requestId: string;

  beforeAll(async () => {
    exchange = await startTestExchange();
    supplier = await registerParticipant(exchange, 'Andes Lithium');
    buyer = await registerParticipant(exchange, 'Kanto Cathode', ['supplier'], 'ES256');
    supplierPart = await supplier.registerPart('LC-BG-99.5');
    buyerPart = await buyer.registerPart('CAM-811');
    await buyer.setBom(buyerPart, [{ supplier, partId: supplierPart, quantity: '0.38' }]);
    upstream = await submitFootprint(supplier, supplierPart, OWN);
    const grant = await supplier.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: upstream.id },
      granteeOrgId: buyer.id,
      purpose: 'downstream-aggregation',
      scope: 'document',
    });
    expect(grant.status).toBe(201);
    const request = await buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart });
    expect(request.status).toBe(201);
    requestId = request.body.id;
  });
  afterAll(() => exchange.stop());

  /** Any bytes with any headers; a body that is not JSON is kept as text, so a non-problem answer still shows. */
  async function raw(
    method: string,
    path: string,
    options: { token?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const response = await fetch(`${exchange.baseUrl}${path}`, {
      method,
      headers: { ...(options.token && { authorization: `Bearer ${options.token}` }), ...options.headers },
      body: options.body,
    });
    const text = await response.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = { unparsed: text.slice(0, 200) };
    }
    return { status: response.status, body, headers: response.headers };
  }

  /** A request written byte for byte on a socket (for what fetch refuses to send); answers the parsed response. */
  function overSocket(request: Buffer): Promise<HttpAnswer> {
    const { port, hostname } = new URL(exchange.baseUrl);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(Number(port), hostname, () => socket.write(request));
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head = '', ...rest] = text.split('\r\n\r\n');
        const [statusLine = '', ...headerLines] = head.split('\r\n');
        const headers = new Headers();
        for (const line of headerLines) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
        }
        const bodyText = rest.join('\r\n\r\n');
        let body: any;
        try {
          body = bodyText ? JSON.parse(bodyText) : undefined;
        } catch {
          body = { unparsed: bodyText.slice(0, 200) };
        }
        resolve({ status: Number(statusLine.split(' ')[1] ?? 0), body, headers });
      });
    });
  }

  /**
   * One attack row: the call must be refused with `status` and `code` as problem+json with a detail,
   * and append no event. The row is recorded from the real answer before anything is asserted.
   */
  async function attack(name: string, status: number, code: string, call: () => Promise<HttpAnswer>): Promise<any> {
    const body = await refused(exchange, status, async () => {
      const before = await exchange.eventCount();
      const answer = await call();
      const appended = (await exchange.eventCount()) - before;
      recordAttack({ attack: name, expected: describeAnswer({ status, body: { code } }, 0n), observed: describeAnswer(answer, appended) });
      return answer;
    });
    expect(body.code).toBe(code);
    return body;
  }

  /** An input that is harmless and accepted on purpose: the row records the status and how many events it appended. */
  async function accepted(name: string, status: number, events: bigint, call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const before = await exchange.eventCount();
    const answer = await call();
    const appended = (await exchange.eventCount()) - before;
    recordAttack({ attack: name, expected: describeAnswer({ status }, events), observed: describeAnswer(answer, appended) });
    expect(answer.status).toBe(status);
    expect(appended).toBe(events);
    return answer;
  }

  const part = (over: Record<string, unknown> = {}) => ({
    partNumber: `P-${randomUUID().slice(0, 8)}`,
    name: 'Part',
    declaredUnit: 'kilogram',
    ...over,
  });
  const bomLine = (over: Record<string, unknown> = {}) => ({ supplierOrgId: supplier.id, supplierPartId: supplierPart, quantity: '0.38', ...over });
  const pinned = (over: Record<string, unknown> = {}) => ({
    footprintId: upstream.id,
    version: 1,
    payloadSha256: upstream.payloadSha256,
    quantity: '0.38',
    ...over,
  });

  /** Signs `document` (as given, any shape) and submits it with `derivation` (as given). */
  const submitSigned = async (p: Participant, document: object, derivation: unknown) =>
    p.call('POST', '/v1/footprints', { jws: await p.sign(document, 'cfp+jws'), derivation });

  /** A well-formed footprint submission of the buyer's part (one input) with one thing changed. */
  function buyerDraft(over: { own?: Record<string, unknown>; inputs?: unknown[]; total?: Record<string, unknown> } = {}) {
    const own = { rawMaterialAcquisition: '0.8', mainProduction: '9.5', distribution: '0.2', endOfLife: '0', ...over.own };
    const total = {
      rawMaterialAcquisition: '2.776',
      mainProduction: '10.298',
      distribution: '0.352',
      endOfLife: '0',
      value: '13.426',
      ...over.total,
    };
    const draft = footprintDraft({
      issuer: buyer.id,
      partId: buyerPart,
      own: own as any,
      inputs: (over.inputs ?? [pinned()]) as any,
      total: total as any,
    });
    return draft;
  }

  it('accepts the well-formed baseline the attacks below start from', async () => {
    const baseline = buyerDraft();
    const preview = await buyer.call('POST', '/v1/footprints/preview', {
      own: baseline.derivation.own,
      inputs: [{ footprintId: upstream.id, version: 1, quantity: '0.38' }],
    });
    expect(preview.body).toEqual({ total: baseline.document.total });
  });

  describe('unknown fields', () => {
    it('at the top level of a body', () =>
      attack('unknown field at the top level (POST /v1/parts)', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ colour: 'red' })),
      ));

    it('nested in a body', async () => {
      await attack('unknown field nested in a BOM line', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ colour: 'red' })] }),
      );
      await attack('unknown field nested in a grant resource', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/grants', {
          resource: { type: 'footprint', id: upstream.id, owner: buyer.id },
          granteeOrgId: buyer.id,
          purpose: 'verification',
          scope: 'document',
        }),
      );
      await attack('unknown field nested in preview own figures', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints/preview', { own: { ...OWN, water: '1' }, inputs: [] }),
      );
    });

    it('inside a signed document, at the top level and nested', async () => {
      const { document, derivation } = buyerDraft();
      const top = await attack('unknown field in a signed footprint document', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, secretNote: 'x' }, derivation),
      );
      expect(top.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'document.secretNote' })]));
      const nested = await attack('unknown field in the signed total', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, total: { ...document.total, water: '0' } }, derivation),
      );
      expect(nested.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'document.total.water' })]));
    });

    it('inside a derivation, at each level', async () => {
      const withHash = (derivation: object) => {
        const { document } = buyerDraft();
        return submitSigned(buyer, { ...document, derivationSha256: canonicalSha256(derivation) }, derivation);
      };
      const { derivation } = buyerDraft();
      await attack('unknown field at the top of a derivation (hash matches)', 400, 'validation-failed', () => withHash({ ...derivation, note: 'x' }));
      await attack('unknown field in derivation.own (hash matches)', 400, 'validation-failed', () =>
        withHash({ ...derivation, own: { ...derivation.own, water: '1' } }),
      );
      const body = await attack('unknown field in derivation.inputs[0] (hash matches)', 400, 'validation-failed', () =>
        withHash({ ...derivation, inputs: [{ ...derivation.inputs[0], supplierName: 'x' }] }),
      );
      expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'derivation.inputs[0].supplierName' })]));
    });

    it('prototype-polluting member names', async () => {
      await attack('"__proto__" member in a body', 400, 'validation-failed', () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/json' },
          body: `{"__proto__":{"isOperator":true},"partNumber":"PP-1","name":"N","declaredUnit":"kilogram"}`,
        }),
      );
      await attack('"constructor" member in a body', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ constructor: { prototype: { isOperator: true } } })),
      );
      expect(({} as any).isOperator).toBeUndefined();
    });
  });

  describe('wrong types', () => {
    it('a number, null or boolean for a string', async () => {
      await attack('number for a string (partNumber: 42)', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ partNumber: 42 })),
      );
      await attack('null for a string (name: null)', 400, 'validation-failed', () => supplier.call('POST', '/v1/parts', part({ name: null })));
      await attack('boolean for a string (declaredUnit: true)', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ declaredUnit: true })),
      );
      await attack('number for a decimal string (quantity: 0.38)', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ quantity: 0.38 })] }),
      );
      await attack('array for a string (kind: ["cfp"])', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/requests', { kind: ['cfp'], supplierOrgId: supplier.id, supplierPartId: supplierPart }),
      );
      await attack('object for a string (reason: {})', 400, 'validation-failed', () =>
        supplier.call('POST', `/v1/requests/${requestId}/reject`, { reason: { text: 'no' } }),
      );
    });

    it('an array, a string or null for an object', async () => {
      await attack('array for an object (preview own: [])', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints/preview', { own: [], inputs: [] }),
      );
      await attack('array for an object (grant resource: [])', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/grants', { resource: [], granteeOrgId: buyer.id, purpose: 'verification', scope: 'document' }),
      );
      await attack('array for an object (BOM line: [])', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [[]] }),
      );
      await attack('string for an object (derivation: "x")', 400, 'validation-failed', async () =>
        buyer.call('POST', '/v1/footprints', { jws: await buyer.sign(buyerDraft().document, 'cfp+jws'), derivation: 'x' }),
      );
      await attack('null for an object (derivation: null)', 400, 'validation-failed', async () =>
        buyer.call('POST', '/v1/footprints', { jws: await buyer.sign(buyerDraft().document, 'cfp+jws'), derivation: null }),
      );
      await attack('object for an array (BOM inputs: {})', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: { 0: bomLine() } }),
      );
      await attack('null BOM line', 400, 'validation-failed', () => buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [null] }));
    });

    it('an array for an object inside a derivation and a signed document, with matching hashes', async () => {
      const { document, derivation } = buyerDraft();
      const ownArray = { ...derivation, own: [] };
      await attack('array for derivation.own (hash matches)', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, derivationSha256: canonicalSha256(ownArray) }, ownArray),
      );
      const wholeArray: unknown[] = [];
      await attack('array for the whole derivation (hash matches)', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, derivationSha256: canonicalSha256(wholeArray) }, wholeArray),
      );
      await attack('array for the signed total', 400, 'validation-failed', () => submitSigned(buyer, { ...document, total: [] }, derivation));
      await attack('null for the signed total', 400, 'validation-failed', () => submitSigned(buyer, { ...document, total: null }, derivation));
      await attack('number for a signed figure (total.value: 13.426)', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, total: { ...document.total, value: 13.426 } }, derivation),
      );
      await attack('boolean for a version in the signed document', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, version: true }, derivation),
      );
      await attack('fractional version in the signed document', 400, 'validation-failed', () =>
        submitSigned(buyer, { ...document, version: 1.5 }, derivation),
      );
    });

    it('a JSON body that is a bare string, number, array, or null', async () => {
      const json = (body: string) => () => raw('POST', '/v1/parts', { token: supplier.token, headers: { 'content-type': 'application/json' }, body });
      await attack('bare JSON string as the body', 400, 'body-not-an-object', json('"P-1"'));
      await attack('bare JSON number as the body', 400, 'body-not-an-object', json('42'));
      await attack('bare JSON null as the body', 400, 'body-not-an-object', json('null'));
      await attack('bare JSON true as the body', 400, 'body-not-an-object', json('true'));
      await attack('JSON array as the body', 400, 'body-not-an-object', json(JSON.stringify([part()])));
      await attack('empty JSON array as the body', 400, 'body-not-an-object', json('[]'));
      await attack('JSON array as a PUT body', 400, 'body-not-an-object', () =>
        raw('PUT', `/v1/parts/${buyerPart}/bom`, {
          token: buyer.token,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([bomLine()]),
        }),
      );
      await attack('truncated JSON', 400, 'malformed-json', json('{"partNumber": "P-1", "name": '));
      await attack('JSON with a trailing comma', 400, 'malformed-json', json('{"partNumber":"P-1",}'));
      await attack('empty body with Content-Type application/json', 400, 'validation-failed', json(''));
    });
  });

  describe('decimals', () => {
    it.each(BAD_DECIMALS)('refuses %s as a BOM quantity', (label, value) =>
      attack(`decimal ${label} as a BOM quantity`, 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ quantity: value })] }),
      ),
    );

    it.each(BAD_DECIMALS)('refuses %s as a preview figure', (label, value) =>
      attack(`decimal ${label} as a preview own figure`, 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints/preview', { own: { ...OWN, mainProduction: value }, inputs: [] }),
      ),
    );

    it.each(BAD_DECIMALS)('refuses %s as a preview input quantity', (label, value) =>
      attack(`decimal ${label} as a preview input quantity`, 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints/preview', { own: OWN, inputs: [{ footprintId: upstream.id, version: 1, quantity: value }] }),
      ),
    );

    it.each(BAD_DECIMALS)('refuses %s as a derivation figure (hash matches)', (label, value) =>
      attack(`decimal ${label} as a derivation own figure`, 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ own: { distribution: value } });
        return submitSigned(buyer, document, derivation);
      }),
    );

    it.each(BAD_DECIMALS)('refuses %s as a derivation input quantity (hash matches)', (label, value) =>
      attack(`decimal ${label} as a derivation input quantity`, 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ inputs: [pinned({ quantity: value })] });
        return submitSigned(buyer, document, derivation);
      }),
    );

    it.each(BAD_DECIMALS)('refuses %s as a signed total figure', (label, value) =>
      attack(`decimal ${label} as a signed total figure`, 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ total: { endOfLife: value } });
        return submitSigned(buyer, document, derivation);
      }),
    );

    it('refuses non-normalized figures where they are signed or hashed, but takes them in a preview', async () => {
      await attack('non-normalized signed total ("0.00")', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ total: { endOfLife: '0.00' } });
        return submitSigned(buyer, document, derivation);
      });
      await attack('non-normalized derivation quantity ("0.380")', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ inputs: [pinned({ quantity: '0.380' })] });
        return submitSigned(buyer, document, derivation);
      });
      await attack('zero BOM quantity ("0")', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ quantity: '0' })] }),
      );
      await accepted('non-normalized preview figure ("2.10") is normalized, not refused', 200, 0n, () =>
        buyer.call('POST', '/v1/footprints/preview', { own: { ...OWN, mainProduction: '2.10' }, inputs: [] }),
      );
    });

    it('refuses JSON numbers that overflow or lose digits where decimal strings are required', async () => {
      const bom = (quantity: string) => () =>
        raw('PUT', `/v1/parts/${buyerPart}/bom`, {
          token: buyer.token,
          headers: { 'content-type': 'application/json' },
          body: `{"inputs":[{"supplierOrgId":"${supplier.id}","supplierPartId":"${supplierPart}","quantity":${quantity}}]}`,
        });
      await attack('JSON number 1e309 (Infinity) as a BOM quantity', 400, 'validation-failed', bom('1e309'));
      await attack('JSON number with 400 digits as a BOM quantity', 400, 'validation-failed', bom('9'.repeat(400)));
      await attack('JSON number -1e-400 (negative underflow) as a BOM quantity', 400, 'validation-failed', bom('-1e-400'));
    });
  });

  describe('negative figures and empty or self-referencing structures', () => {
    it('refuses negative quantities and stage figures', async () => {
      await attack('negative BOM quantity', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ quantity: '-0.38' })] }),
      );
      await attack('negative preview stage figure', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints/preview', { own: { ...OWN, rawMaterialAcquisition: '-5.2' }, inputs: [] }),
      );
      await attack('negative derivation stage figure with a total that adds up', 400, 'validation-failed', async () => {
        const own = { rawMaterialAcquisition: '-0.8', mainProduction: '9.5', distribution: '0.2', endOfLife: '0' };
        const { document, derivation } = buyerDraft({ own, total: { rawMaterialAcquisition: '1.176', value: '11.826' } });
        return submitSigned(buyer, document, derivation);
      });
      await attack('negative signed stage total that adds up', 400, 'validation-failed', async () => {
        const { document, derivation } = footprintDraft({
          issuer: supplier.id,
          partId: supplierPart,
          own: { ...OWN, distribution: '-0.4' },
          total: { ...OWN, distribution: '-0.4', value: '6.9' },
        });
        return submitSigned(supplier, document, derivation);
      });
    });

    it('refuses an empty BOM and an oversized one', async () => {
      await attack('empty BOM', 400, 'validation-failed', () => buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [] }));
      await attack('BOM of 501 lines', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: Array.from({ length: 501 }, () => bomLine({ supplierPartId: randomUUID() })) }),
      );
      await attack('derivation with 201 inputs', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft({ inputs: Array.from({ length: 201 }, () => pinned()) });
        return submitSigned(buyer, document, derivation);
      });
    });

    it('refuses BOM cycles, direct and along a chain', async () => {
      const [a, b, c] = [await buyer.registerPart('CYC-A'), await buyer.registerPart('CYC-B'), await buyer.registerPart('CYC-C')];
      const line = (partId: string) => ({ supplierOrgId: buyer.id, supplierPartId: partId, quantity: '1' });
      await attack('BOM listing the part itself (A→A)', 422, 'bom-cycle', () => buyer.call('PUT', `/v1/parts/${a}/bom`, { inputs: [line(a)] }));
      expect((await buyer.call('PUT', `/v1/parts/${a}/bom`, { inputs: [line(b)] })).status).toBe(200);
      await attack('BOM cycle A→B, then B→A', 422, 'bom-cycle', () => buyer.call('PUT', `/v1/parts/${b}/bom`, { inputs: [line(a)] }));
      expect((await buyer.call('PUT', `/v1/parts/${b}/bom`, { inputs: [line(c)] })).status).toBe(200);
      await attack('BOM chain cycle A→B→C, then C→A', 422, 'bom-cycle', () => buyer.call('PUT', `/v1/parts/${c}/bom`, { inputs: [line(a)] }));
      await attack('BOM listing the same supplier part twice', 400, 'duplicate-bom-line', () =>
        buyer.call('PUT', `/v1/parts/${c}/bom`, {
          inputs: [line(supplierPart), line(supplierPart)].map((l) => ({ ...l, supplierOrgId: supplier.id })),
        }),
      );
    });

    it('refuses a footprint that lists itself as an input, or whose input leads back to it', async () => {
      // A (supplier) and B (buyer): B's part takes A's part; B v1 pins A v1.
      const aPart = await supplier.registerPart('LOOP-A');
      const bPart = await buyer.registerPart('LOOP-B');
      const a1 = await submitFootprint(supplier, aPart, OWN);

      const selfId = randomUUID();
      await attack('footprint v1 listing itself as an input', 422, 'input-cycle', async () => {
        const { document, derivation } = footprintDraft({
          issuer: supplier.id,
          partId: aPart,
          own: OWN,
          total: TOTAL,
          id: selfId,
          inputs: [{ footprintId: selfId, version: 1, payloadSha256: a1.payloadSha256, quantity: '1' }],
        });
        return submitSigned(supplier, document, derivation);
      });
      await attack('footprint v2 pinning its own v1', 422, 'input-cycle', async () => {
        const { document, derivation } = footprintDraft({
          issuer: supplier.id,
          partId: aPart,
          own: OWN,
          total: TOTAL,
          id: a1.id,
          version: 2,
          inputs: [{ footprintId: a1.id, version: 1, payloadSha256: a1.payloadSha256, quantity: '1' }],
        });
        return submitSigned(supplier, document, derivation);
      });

      await buyer.setBom(bPart, [{ supplier, partId: aPart, quantity: '2' }]);
      const grantA = await supplier.call('POST', '/v1/grants', {
        resource: { type: 'footprint', id: a1.id },
        granteeOrgId: buyer.id,
        purpose: 'downstream-aggregation',
        scope: 'document',
      });
      expect(grantA.status).toBe(201);
      const b1 = await submitFootprint(buyer, bPart, OWN, [{ footprintId: a1.id, version: 1, payloadSha256: a1.payloadSha256, quantity: '2' }]);
      // B's BOM moves on, so A's BOM may now take B's part (no BOM cycle), but B v1 still pins A v1.
      await buyer.setBom(bPart, [{ supplier, partId: supplierPart, quantity: '1' }]);
      await supplier.setBom(aPart, [{ supplier: buyer, partId: bPart, quantity: '1' }]);
      const grantB = await buyer.call('POST', '/v1/grants', {
        resource: { type: 'footprint', id: b1.id },
        granteeOrgId: supplier.id,
        purpose: 'downstream-aggregation',
        scope: 'document',
      });
      expect(grantB.status).toBe(201);

      const preview = await supplier.call('POST', '/v1/footprints/preview', {
        own: OWN,
        inputs: [{ footprintId: b1.id, version: 1, quantity: '1' }],
      });
      expect(preview.status).toBe(200);
      await attack('footprint A v2 pinning B v1, which pins A v1', 422, 'input-cycle', async () => {
        const { document, derivation } = footprintDraft({
          issuer: supplier.id,
          partId: aPart,
          own: OWN,
          total: preview.body.total,
          id: a1.id,
          version: 2,
          inputs: [{ footprintId: b1.id, version: 1, payloadSha256: b1.payloadSha256, quantity: '1' }],
        });
        return submitSigned(supplier, document, derivation);
      });
    });
  });

  describe('size and depth', () => {
    it('answers a 10 MB body with 413 problem+json and keeps serving', async () => {
      const big = JSON.stringify({ partNumber: 'BIG', name: 'x'.repeat(10 * 1024 * 1024), declaredUnit: 'kilogram' });
      await attack('10 MB JSON body', 413, 'body-too-large', () =>
        raw('POST', '/v1/parts', { token: supplier.token, headers: { 'content-type': 'application/json' }, body: big }),
      );
      await attack('10 MB JSON body, chunked (no Content-Length)', 413, 'body-too-large', () =>
        fetch(`${exchange.baseUrl}/v1/parts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${supplier.token}`, 'content-type': 'application/json' },
          body: new Blob([big]).stream(),
          duplex: 'half',
        } as RequestInit).then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()), headers: r.headers })),
      );
      const health = await accepted('the next request after a 10 MB body', 200, 0n, () => raw('GET', '/health'));
      expect(health.status).toBe(200);
      expect((await supplier.call('GET', `/v1/parts/${supplierPart}`)).status).toBe(200);
    });

    it('answers 100 000 levels of nesting with 400 too-deeply-nested, never a 500', async () => {
      const json = (body: string) => () => raw('POST', '/v1/parts', { token: supplier.token, headers: { 'content-type': 'application/json' }, body });
      const depth = 100_000;
      await attack('100 000 nested arrays as the body', 400, 'too-deeply-nested', json('['.repeat(depth) + ']'.repeat(depth)));
      await attack(
        '100 000 nested arrays inside an object member',
        400,
        'too-deeply-nested',
        json(`{"partNumber":${'['.repeat(depth)}${']'.repeat(depth)},"name":"N","declaredUnit":"kilogram"}`),
      );
      await attack('100 000 nested objects', 400, 'too-deeply-nested', json(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
      await attack('100 000 unclosed brackets', 400, 'too-deeply-nested', json('['.repeat(depth)));
      await attack('65 levels of nesting', 400, 'too-deeply-nested', json(`{"partNumber":${'['.repeat(64)}${']'.repeat(64)}}`));
      await accepted('150 "[" inside a string are text, not nesting (accepted)', 201, 1n, json(JSON.stringify(part({ name: '['.repeat(150) }))));
      await attack(
        '64 levels of nesting: past the depth check, refused by validation',
        400,
        'validation-failed',
        json(`{"partNumber":${'['.repeat(63)}${']'.repeat(63)}}`),
      );
      await attack('100 000 nested arrays in the token endpoint body', 400, 'too-deeply-nested', () =>
        raw('POST', '/v1/auth/token', { headers: { 'content-type': 'application/json' }, body: '['.repeat(depth) + ']'.repeat(depth) }),
      );
      await attack('100 000 nested arrays on a +json media type', 400, 'too-deeply-nested', () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/merge-patch+json' },
          body: '['.repeat(depth) + ']'.repeat(depth),
        }),
      );
      expect((await raw('GET', '/health')).status).toBe(200);
    });

    it('answers a deeply nested signed payload with 400, never a 500', async () => {
      const depth = 50_000;
      const payload = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const jws = signCompactByHand({ alg: 'ES256', kid: buyer.key.kid, typ: 'cfp+jws' }, payload, buyer.key.privateJwk);
      await attack('signed footprint payload nested 50 000 levels', 400, 'too-deeply-nested', () =>
        buyer.call('POST', '/v1/footprints', { jws, derivation: buyerDraft().derivation }),
      );
      const ddJws = signCompactByHand({ alg: 'ES256', kid: buyer.key.kid, typ: 'dd+jws' }, payload, buyer.key.privateJwk);
      await attack('signed DD payload nested 50 000 levels', 400, 'too-deeply-nested', () => buyer.call('POST', '/v1/dd-reports', { jws: ddJws }));
      const headerJws = signCompactByHand(
        { alg: 'ES256', kid: buyer.key.kid, typ: 'cfp+jws', x: JSON.parse('['.repeat(65) + ']'.repeat(65)) },
        '{}',
        buyer.key.privateJwk,
      );
      await attack('JWS protected header nested 66 levels', 400, 'too-deeply-nested', () =>
        buyer.call('POST', '/v1/footprints', { jws: headerJws, derivation: buyerDraft().derivation }),
      );
    });
  });

  describe('text', () => {
    it('refuses control characters in names, part numbers, messages and reasons', async () => {
      await attack('NUL in a part name', 400, 'validation-failed', () => supplier.call('POST', '/v1/parts', part({ name: 'Cathode\u0000' })));
      await attack('ESC sequence in a part number', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ partNumber: 'CAM-\u001b[31m811' })),
      );
      await attack('C1 control (CSI, U+009B) in a part number', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ partNumber: 'CAM-\u009b31m811' })),
      );
      await attack('DEL in a declared unit', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ declaredUnit: 'kilogram\u007f' })),
      );
      await attack('lone surrogate in a part name', 400, 'validation-failed', () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(part()).replace('"Part"', '"Part\\ud800"'),
        }),
      );
      await attack('NUL in a request message', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart, message: 'please\u0000' }),
      );
      await attack('CR LF in a request message (log injection)', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart, message: 'ok\r\n[INFO] forged' }),
      );
      await attack('ESC in a rejection reason', 400, 'validation-failed', () =>
        supplier.call('POST', `/v1/requests/${requestId}/reject`, { reason: '\u001b]0;pwned\u0007' }),
      );
      await attack('NUL in an organization name', 400, 'validation-failed', () =>
        http(exchange, 'POST', '/v1/organizations', {
          token: exchange.operatorToken,
          body: { name: 'Evil\u0000Corp', roles: ['supplier'], jwks: { keys: [buyer.key.publicJwk] } },
        }),
      );
      await attack('ESC in a signed declared unit', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft();
        return submitSigned(buyer, { ...document, declaredUnit: 'kilogram\u001b' }, derivation);
      });
    });

    it('accepts harmless Unicode: U+2028 and U+2029, accents, CJK, emoji', async () => {
      await accepted('U+2028/U+2029 in a part name (harmless, accepted)', 201, 1n, () =>
        supplier.call('POST', '/v1/parts', part({ name: 'line\u2028para\u2029end' })),
      );
      await accepted('non-ASCII part name (accepted)', 201, 1n, () =>
        supplier.call('POST', '/v1/parts', part({ name: 'Kathodenmaterial NMC811 正極材 🔋' })),
      );
    });

    it('refuses over-long strings', async () => {
      await attack('part name of 201 characters', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ name: 'n'.repeat(201) })),
      );
      await attack('part number of 100 000 characters', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/parts', part({ partNumber: 'p'.repeat(100_000) })),
      );
      await attack('request message of 2 001 characters', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart, message: 'm'.repeat(2001) }),
      );
      await attack('rejection reason of 500 000 characters', 400, 'validation-failed', () =>
        supplier.call('POST', `/v1/requests/${requestId}/reject`, { reason: 'r'.repeat(500_000) }),
      );
      await attack('empty part name', 400, 'validation-failed', () => supplier.call('POST', '/v1/parts', part({ name: '' })));
      await attack('JWS of 300 000 characters', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/footprints', { jws: `${'a'.repeat(150_000)}.${'b'.repeat(150_000)}.c`, derivation: buyerDraft().derivation }),
      );
      await attack('salt of 10 000 characters', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft();
        const salted = { ...derivation, salt: 's'.repeat(10_000) };
        return submitSigned(buyer, { ...document, derivationSha256: canonicalSha256(salted) }, salted);
      });
    });
  });

  describe('ids, dates, media types, headers, queries', () => {
    it('answers a malformed UUID with 400, in paths and in bodies alike', async () => {
      await attack('invalid UUID in a path (GET /v1/parts/not-a-uuid)', 400, 'invalid-id', () => supplier.call('GET', '/v1/parts/not-a-uuid'));
      await attack('invalid UUID in a path (GET /v1/footprints/123)', 400, 'invalid-id', () => supplier.call('GET', '/v1/footprints/123'));
      await attack('SQL-ish id in a path', 400, 'invalid-id', () =>
        supplier.call('GET', `/v1/footprints/${encodeURIComponent("' OR 1=1 --")}/versions`),
      );
      await attack('path traversal as an id', 400, 'invalid-id', () => supplier.call('GET', '/v1/dd-reports/..%2F..%2Fetc%2Fpasswd'));
      await attack('NUL in a path id', 400, 'invalid-id', () => supplier.call('GET', `/v1/parts/${supplierPart}%00`));
      await attack('invalid UUID in a PUT path', 400, 'invalid-id', () => buyer.call('PUT', '/v1/parts/xyz/bom', { inputs: [bomLine()] }));
      await attack('invalid UUID in a POST path', 400, 'invalid-id', () => supplier.call('POST', '/v1/requests/xyz/reject', { reason: 'no' }));
      await attack('invalid UUID in a DELETE path', 400, 'invalid-id', () => supplier.call('DELETE', '/v1/grants/xyz'));
      await attack('invalid UUID in a body (supplierOrgId)', 400, 'validation-failed', () =>
        buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [bomLine({ supplierOrgId: 'acme' })] }),
      );
      await attack('invalid UUID in a body (granteeOrgId)', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/grants', {
          resource: { type: 'footprint', id: upstream.id },
          granteeOrgId: `${buyer.id}x`,
          purpose: 'verification',
          scope: 'document',
        }),
      );
      await attack('invalid UUID in a signed document (partId)', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft();
        return submitSigned(buyer, { ...document, partId: 'CAM-811' }, derivation);
      });
      await attack('invalid UUID in a query (audit resourceId)', 400, 'validation-failed', () => supplier.call('GET', '/v1/audit?resourceId=nope'));
      await attack('well-formed but unknown UUID in a path is a 404', 404, 'part-not-found', () => supplier.call('GET', `/v1/parts/${UNKNOWN}`));
    });

    it('refuses invalid dates', async () => {
      const request = (dueDate: string) => () =>
        buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart, dueDate });
      await attack('dueDate 2026-02-30T00:00:00Z (no such day)', 400, 'validation-failed', request('2026-02-30T00:00:00Z'));
      await attack('dueDate 2026-04-31T00:00:00Z (no such day)', 400, 'validation-failed', request('2026-04-31T00:00:00Z'));
      await attack('dueDate 2025-02-29T00:00:00Z (not a leap year)', 400, 'validation-failed', request('2025-02-29T00:00:00Z'));
      await attack('dueDate 2026-01-01T24:00:00Z (hour 24)', 400, 'validation-failed', request('2026-01-01T24:00:00Z'));
      await attack('dueDate "yesterday"', 400, 'validation-failed', request('yesterday'));
      await attack('dueDate without a time zone', 400, 'validation-failed', request('2026-03-01T00:00:00'));
      await attack('dueDate as epoch milliseconds', 400, 'validation-failed', () =>
        buyer.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: supplierPart, dueDate: 1767225600000 }),
      );
      await attack('grant expiresAt 2026-02-30T00:00:00Z', 400, 'validation-failed', () =>
        supplier.call('POST', '/v1/grants', {
          resource: { type: 'footprint', id: upstream.id },
          granteeOrgId: buyer.id,
          purpose: 'verification',
          scope: 'document',
          expiresAt: '2099-02-30T00:00:00Z',
        }),
      );
      await attack('reproduce asOf "yesterday"', 400, 'validation-failed', () =>
        supplier.call('POST', `/v1/footprints/${upstream.id}/reproduce`, { asOf: 'yesterday' }),
      );
      await attack('signed validFrom 2026-02-30T00:00:00Z', 400, 'validation-failed', async () => {
        const { document, derivation } = buyerDraft();
        return submitSigned(buyer, { ...document, validFrom: '2026-02-30T00:00:00Z' }, derivation);
      });
      await accepted('dueDate 2028-02-29T23:59:59.5+09:00 (a real leap day, with offset)', 201, 1n, request('2028-02-29T23:59:59.5+09:00'));
    });

    it('refuses a body that is not JSON on JSON endpoints with 415', async () => {
      const post = (contentType: string | undefined, body: string) => () =>
        raw('POST', '/v1/parts', { token: supplier.token, headers: contentType ? { 'content-type': contentType } : {}, body });
      await attack('Content-Type text/plain with a JSON body', 415, 'unsupported-media-type', post('text/plain', JSON.stringify(part())));
      await attack(
        'form-encoded body on a JSON endpoint',
        415,
        'unsupported-media-type',
        post('application/x-www-form-urlencoded', new URLSearchParams(part() as Record<string, string>).toString()),
      );
      await attack(
        'multipart body on a JSON endpoint',
        415,
        'unsupported-media-type',
        post('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="partNumber"\r\n\r\nP\r\n--x--\r\n'),
      );
      await attack('XML body on a JSON endpoint', 415, 'unsupported-media-type', post('application/xml', '<part><partNumber>P</partNumber></part>'));
      await attack('JSON body with no Content-Type', 415, 'unsupported-media-type', () =>
        overSocket(
          Buffer.from(
            `POST /v1/parts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${supplier.token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
          ),
        ),
      );
      await attack(
        'JSON declared in a charset other than UTF-8',
        415,
        'unsupported-media-type',
        post('application/json; charset=latin1', JSON.stringify(part())),
      );
      await attack('form-encoded body on PUT bom', 415, 'unsupported-media-type', () =>
        raw('PUT', `/v1/parts/${buyerPart}/bom`, {
          token: buyer.token,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'inputs=x',
        }),
      );
      await attack('text/plain on the token endpoint', 415, 'unsupported-media-type', () =>
        raw('POST', '/v1/auth/token', { headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' }),
      );
    });

    it('refuses an Idempotency-Key with control characters or of 300 characters', async () => {
      const withKey = (key: string) => () => supplier.call('POST', '/v1/parts', part(), { 'idempotency-key': key });
      /** fetch refuses to send control characters in a header: these keys go over a socket, byte for byte. */
      const withRawKey = (key: string) => () => overSocket(postPartBytes(`Idempotency-Key: ${key}\r\n`));
      await attack('Idempotency-Key of 300 characters', 400, 'invalid-idempotency-key', withKey('k'.repeat(300)));
      await attack('Idempotency-Key of 256 characters', 400, 'invalid-idempotency-key', withKey('k'.repeat(256)));
      await attack('Idempotency-Key with a space', 400, 'invalid-idempotency-key', withKey('key value'));
      await attack('Idempotency-Key with ESC (refused by the HTTP parser)', 400, 'malformed-request', withRawKey('key\u001b[2J'));
      await attack('Idempotency-Key with a tab', 400, 'invalid-idempotency-key', withRawKey('key\tvalue'));
      await attack('Idempotency-Key with DEL (refused by the HTTP parser)', 400, 'malformed-request', withRawKey('key\u007fvalue'));
      await attack('Idempotency-Key with a Latin-1 byte', 400, 'invalid-idempotency-key', withRawKey('cl\u00e9'));
      await attack('Idempotency-Key with UTF-8 bytes (clé)', 400, 'invalid-idempotency-key', withRawKey('cl\u00c3\u00a9'));
      await attack('empty Idempotency-Key', 400, 'invalid-idempotency-key', withRawKey(''));
      await attack('Idempotency-Key with NUL', 400, 'malformed-request', withRawKey('key\u0000value'));
      await attack('Idempotency-Key with a bare CR', 400, 'malformed-request', withRawKey('key\rvalue'));
      await attack('Idempotency-Key with a bare LF', 400, 'malformed-request', withRawKey('key\nvalue'));
      expect((await raw('GET', '/health')).status).toBe(200);
    });

    function postPartBytes(extraHeader: string): Buffer {
      const body = JSON.stringify(part());
      return Buffer.from(
        `POST /v1/parts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${supplier.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeader}Connection: close\r\n\r\n${body}`,
        'latin1',
      );
    }

    it('refuses malformed query parameters', async () => {
      await attack('limit=abc', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?limit=abc'));
      await attack('limit=1e309', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?limit=1e309'));
      await attack('limit=501', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?limit=501'));
      await attack('limit given twice', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?limit=1&limit=2'));
      await attack('limit as a nested object (limit[a]=1)', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?limit[a]=1'));
      await attack('version=-1', 400, 'validation-failed', () => supplier.call('GET', `/v1/footprints/${upstream.id}?version=-1`));
      await attack('version=1.5', 400, 'validation-failed', () => supplier.call('GET', `/v1/footprints/${upstream.id}?version=1.5`));
      await attack('depth=100000', 400, 'validation-failed', () => supplier.call('GET', `/v1/footprints/${upstream.id}/derivation?depth=100000`));
      await attack('unknown query parameter', 400, 'validation-failed', () => supplier.call('GET', '/v1/parts?admin=true'));
      await attack('forged cursor (after=%00)', 400, 'invalid-cursor', () => supplier.call('GET', '/v1/events?after=%00'));
      await attack('cursor as an array (after[]=x)', 400, 'validation-failed', () => supplier.call('GET', '/v1/events?after[]=x'));
      await attack('direction not in the enumeration', 400, 'validation-failed', () => supplier.call('GET', '/v1/requests?direction=sideways'));
    });
  });

  describe('other signed documents and the token endpoint', () => {
    const smelter = { id: 'CID002050', name: 'Huayou Cobalt', country: 'CN', mineral: 'cobalt', audit: 'conformant' } as const;
    // Loosely typed: the attacks put what the document type does not allow.
    const ddReport = (over: Record<string, unknown> = {}) => ({ ...ddReportDraft(supplier.id, supplierPart, { smelters: [smelter] }), ...over });
    const submitDd = (document: object) => async () => supplier.call('POST', '/v1/dd-reports', { jws: await supplier.sign(document, 'dd+jws') });

    it('refuses malformed DD reports', async () => {
      await attack('DD period.from 2025-02-30', 400, 'validation-failed', submitDd(ddReport({ period: { from: '2025-02-30', to: '2025-12-31' } })));
      await attack('DD period.to "yesterday"', 400, 'validation-failed', submitDd(ddReport({ period: { from: '2025-01-01', to: 'yesterday' } })));
      await attack('DD smelter name with ESC', 400, 'validation-failed', submitDd(ddReport({ smelters: [{ ...smelter, name: 'Huayou\u001b[8m' }] })));
      await attack('DD smelter as an array', 400, 'validation-failed', submitDd(ddReport({ smelters: [[smelter]] })));
      await attack('DD period as an array', 400, 'validation-failed', submitDd(ddReport({ period: ['2025-01-01', '2025-12-31'] })));
      await attack(
        'DD risk with an unknown field',
        400,
        'validation-failed',
        submitDd(ddReport({ risks: [{ category: 'conflict', level: 'low', owner: 'x' }] })),
      );
      await attack('DD input null', 400, 'validation-failed', submitDd(ddReport({ inputs: [null] })));
      await attack(
        'DD input pinning an invalid UUID',
        400,
        'validation-failed',
        submitDd(ddReport({ inputs: [{ ddReportId: 'x', version: 1, payloadSha256: upstream.payloadSha256 }] })),
      );
    });

    it('refuses malformed figures in a declaration', async () => {
      const regulator = await registerParticipant(exchange, 'Regulator', ['regulator']);
      const declaration = (over: Record<string, unknown> = {}) => ({
        id: randomUUID(),
        issuer: supplier.id,
        batteryModel: 'NMC811-75kWh',
        manufacturingSite: 'Salzgitter, DE',
        footprintId: upstream.id,
        footprintVersion: 1,
        energyOverServiceLifeKWh: '100',
        cfpPerFunctionalUnit: '0.077',
        cfpPerStage: { rawMaterialAcquisition: '0.052', mainProduction: '0.021', distribution: '0.004', endOfLife: '0' },
        attestationIds: [],
        ...over,
      });
      const submit = (document: object) => async () =>
        supplier.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: await supplier.sign(document, 'declaration+jws') });
      await attack('declaration energy "-0" kWh', 400, 'validation-failed', submit(declaration({ energyOverServiceLifeKWh: '-0' })));
      await attack('declaration energy "0" kWh (division by zero)', 400, 'validation-failed', submit(declaration({ energyOverServiceLifeKWh: '0' })));
      await attack('declaration energy "1e3" kWh', 400, 'validation-failed', submit(declaration({ energyOverServiceLifeKWh: '1e3' })));
      await attack('declaration cfpPerFunctionalUnit "NaN"', 400, 'validation-failed', submit(declaration({ cfpPerFunctionalUnit: 'NaN' })));
      await attack('declaration cfpPerStage as an array', 400, 'validation-failed', submit(declaration({ cfpPerStage: [] })));
      await attack('declaration batteryModel with NUL', 400, 'validation-failed', submit(declaration({ batteryModel: 'NMC\u0000' })));
      await attack(
        'declaration publicStudyUrl javascript:',
        400,
        'validation-failed',
        submit(declaration({ publicStudyUrl: 'javascript:alert(1)' })),
      );
    });

    it('refuses malformed attestations', async () => {
      const certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
      const grant = await supplier.call('POST', '/v1/grants', {
        resource: { type: 'footprint', id: upstream.id },
        granteeOrgId: certifier.id,
        purpose: 'verification',
        scope: 'derivation',
      });
      expect(grant.status).toBe(201);
      const attestation = (over: Record<string, unknown> = {}) => ({
        id: randomUUID(),
        issuer: certifier.id,
        footprintId: upstream.id,
        version: 1,
        payloadSha256: upstream.payloadSha256,
        derivationSha256: upstream.document.derivationSha256,
        result: 'verified',
        standard: 'ISO 14067',
        findings: [],
        validUntil: '2030-01-01T00:00:00Z',
        ...over,
      });
      const attest = (document: object) => async () =>
        certifier.call('POST', `/v1/footprints/${upstream.id}/attestations`, { jws: await certifier.sign(document, 'attestation+jws') });
      await attack(
        'attestation validUntil 2030-02-30T00:00:00Z',
        400,
        'validation-failed',
        attest(attestation({ validUntil: '2030-02-30T00:00:00Z' })),
      );
      await attack('attestation finding with ESC', 400, 'validation-failed', attest(attestation({ findings: ['ok\u001b[2K'] })));
      await attack('attestation findings as a string', 400, 'validation-failed', attest(attestation({ findings: 'none' })));
    });

    it('refuses malformed token requests without a 5xx', async () => {
      await attack('token request with a 10 000-character client_id', 400, 'validation-failed', () =>
        http(exchange, 'POST', '/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: 'c'.repeat(10_000), client_secret: 's' } }),
      );
      await attack('token request with client_id as an object', 400, 'validation-failed', () =>
        http(exchange, 'POST', '/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: { $ne: null }, client_secret: 's' } }),
      );
      await attack('form token request with an unknown field', 400, 'validation-failed', () =>
        raw('POST', '/v1/auth/token', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=a&client_secret=b&admin=1',
        }),
      );
      await attack('form token request with 2 000 parameters', 413, 'body-too-large', () =>
        raw('POST', '/v1/auth/token', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Array.from({ length: 2000 }, (_, i) => `p${i}=1`).join('&'),
        }),
      );
    });
  });

  describe('content encodings', () => {
    it('refuses a gzip bomb with 413 and an unknown encoding with 415', async () => {
      const bomb = gzipSync(Buffer.from(`{"partNumber":"${' '.repeat(50 * 1024 * 1024)}"}`));
      expect(bomb.length).toBeLessThan(100_000);
      await attack(`gzip bomb (${Math.round(bomb.length / 1024)} KB inflating to 50 MB)`, 413, 'body-too-large', () =>
        raw('POST', '/v1/parts', { token: supplier.token, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb }),
      );
      await attack('Content-Encoding br', 415, 'unsupported-content-encoding', () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
          body: JSON.stringify(part()),
        }),
      );
      await attack('gzip header on a body that is not gzip', 400, 'malformed-body', () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: JSON.stringify(part()),
        }),
      );
      await accepted('a gzip-encoded JSON body (accepted)', 201, 1n, () =>
        raw('POST', '/v1/parts', {
          token: supplier.token,
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: gzipSync(JSON.stringify(part())),
        }),
      );
    });
  });

  it('never answers 5xx to mistyped bodies on any write endpoint', async () => {
    const endpoints: [string, string, Participant | 'operator' | 'anyone'][] = [
      ['POST', '/v1/organizations', 'operator'],
      ['POST', '/v1/auth/token', 'anyone'],
      ['PUT', `/v1/organizations/${supplier.id}/jwks`, supplier],
      ['POST', '/v1/parts', supplier],
      ['PUT', `/v1/parts/${buyerPart}/bom`, buyer],
      ['POST', '/v1/requests', buyer],
      ['POST', `/v1/requests/${requestId}/answer`, supplier],
      ['POST', `/v1/requests/${requestId}/reject`, supplier],
      ['POST', '/v1/footprints', buyer],
      ['POST', '/v1/footprints/preview', buyer],
      ['POST', `/v1/footprints/${upstream.id}/reproduce`, supplier],
      ['POST', '/v1/dd-reports', buyer],
      ['POST', '/v1/grants', supplier],
      ['POST', '/v1/submissions', buyer],
    ];
    const junk: unknown[] = [
      {},
      { jws: null, derivation: [], inputs: {}, own: [], resource: [], jwks: [], keys: {}, roles: 'supplier', name: 1 },
      {
        jws: 'a.b.c',
        derivation: { salt: 'x'.repeat(22), own: [], inputs: [[]] },
        inputs: [[]],
        own: { rawMaterialAcquisition: [] },
        resource: { type: [], id: [] },
      },
      {
        jwks: { keys: [null, 1, 'x', [], { kty: ['OKP'] }] },
        keys: [null, {}, { kty: 'OKP', crv: 'Ed25519', x: [] }],
        name: 'N',
        roles: ['supplier'],
      },
      {
        // eslint-disable-next-line no-loss-of-precision -- a number beyond any double, on purpose
        version: 1e309,
        asOf: [],
        kind: {},
        supplierOrgId: {},
        documentId: [],
        reason: [],
        grant_type: ['client_credentials'],
        client_id: {},
        client_secret: [],
      },
      {
        inputs: [{ supplierOrgId: null, supplierPartId: null, quantity: null, footprintId: null, version: null }],
        own: null,
        derivation: null,
        regulatorOrgId: null,
      },
    ];
    const failures: string[] = [];
    const before = await exchange.eventCount();
    for (const [method, path, who] of endpoints) {
      for (const body of junk) {
        const token = who === 'operator' ? exchange.operatorToken : who === 'anyone' ? undefined : who.token;
        const answer = await raw(method, path, { token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const problem = answer.headers.get('content-type')?.includes('application/problem+json');
        // A well-formed body may be accepted (an empty reproduce is one); what must never happen is a 5xx or an error that is not problem+json.
        if (answer.status >= 500 || (answer.status >= 400 && !problem))
          failures.push(`${method} ${path} ${JSON.stringify(body).slice(0, 60)} → ${answer.status} ${answer.body?.code ?? ''}`);
      }
    }
    const appended = (await exchange.eventCount()) - before;
    recordAttack({
      attack: `mistyped bodies × ${endpoints.length} write endpoints (${endpoints.length * junk.length} calls)`,
      expected: 'no 5xx, every error problem+json, no event',
      observed:
        failures.length === 0 && appended === 0n
          ? 'no 5xx, every error problem+json, no event'
          : `${failures.length} bad answer(s), ${appended} event(s): ${failures.slice(0, 3).join('; ')}`,
    });
    expect(failures).toEqual([]);
    expect(appended).toBe(0n);
  });
});
