/**
 * ES256 signatures in their one accepted form. For any ECDSA signature (r, s), (r, n − s) verifies
 * too, so a payload would have two valid JWS strings; only the "low-S" form (s ≤ n/2, as Bitcoin's
 * BIP 62 and libsecp256k1 require) is accepted, and signers here always produce it.
 */

/** The order of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = P256_N >> 1n;
const COMPONENT_BYTES = 32;

const toBigInt = (bytes: Uint8Array) => bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

function toBytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(COMPONENT_BYTES);
  for (let i = COMPONENT_BYTES - 1; i >= 0; i--, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return bytes;
}

/** Whether a JWS ES256 signature (r ‖ s, 64 bytes) has s ≤ n/2. Malformed lengths are left to the verifier. */
export function hasLowS(signature: Uint8Array): boolean {
  if (signature.length !== 2 * COMPONENT_BYTES) return true;
  return toBigInt(signature.subarray(COMPONENT_BYTES)) <= HALF_N;
}

/** The low-S form of a JWS ES256 signature (r ‖ s): the same signature when s ≤ n/2, else (r, n − s). */
export function toLowS(signature: Uint8Array): Uint8Array {
  if (hasLowS(signature)) return signature;
  const lowS = new Uint8Array(signature);
  lowS.set(toBytes(P256_N - toBigInt(signature.subarray(COMPONENT_BYTES))), COMPONENT_BYTES);
  return lowS;
}
