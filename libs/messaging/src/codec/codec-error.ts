/** Bytes or data that do not fit the wire contract (proto/exchange/v1); `path` points at the offending field. */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path === undefined ? message : `${path}: ${message}`);
    this.name = 'CodecError';
  }
}
