import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Root, type Type } from 'protobufjs';
import { assertVocabulariesMatch } from './vocabularies';

const PROTO_FILES = ['exchange/v1/events.proto', 'exchange/v1/inbox.proto'] as const;
const PACKAGE = 'exchange.v1';

/** The repository's `proto/` directory: the nearest one above `start` holding the exchange's files (works from src and dist alike). */
export function protoDirectory(start: string = __dirname): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, 'proto');
    if (existsSync(join(candidate, PROTO_FILES[0]))) return candidate;
    if (dirname(directory) === directory) throw new Error(`no proto/${PROTO_FILES[0]} above ${start}`);
  }
}

let loaded: Root | undefined;

/** The exchange's wire contracts, parsed once from the .proto files at run time. */
export function exchangeProtoRoot(): Root {
  loaded ??= loadProtoRoot(protoDirectory());
  return loaded;
}

export function loadProtoRoot(directory: string): Root {
  const root = new Root();
  // Imports name files relative to the proto directory ("exchange/v1/events.proto"), not to the importer.
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(directory, target));
  root.loadSync(PROTO_FILES.map((file) => join(directory, file)));
  root.resolveAll();
  assertVocabulariesMatch(root);
  return root;
}

export function exchangeType(name: string): Type {
  return exchangeProtoRoot().lookupType(`${PACKAGE}.${name}`);
}
