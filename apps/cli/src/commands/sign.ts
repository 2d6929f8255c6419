import { DOCUMENT_TYPES, isDocumentType, readKeyFile, signWith } from '../keys';
import { EXIT_OK, parseCommandArgs, readJsonFile, UsageError } from './cli-io';

export const SIGN_USAGE = `sign --key key.json --typ ${DOCUMENT_TYPES.join('|')} <document.json|->`;

/** Prints the compact JWS of a document's canonical JSON, signed with the key file's private key. */
export async function signCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    key: { type: 'string' },
    typ: { type: 'string' },
  });
  if (!values.key || !values.typ || positionals.length !== 1) throw new UsageError(SIGN_USAGE);
  if (!isDocumentType(values.typ)) throw new UsageError(`--typ must be one of ${DOCUMENT_TYPES.join(', ')}`);
  const document = readJsonFile(positionals[0]);
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new UsageError('the document must be a JSON object');
  process.stdout.write(`${await signWith(readKeyFile(values.key), document, values.typ)}\n`);
  return EXIT_OK;
}
