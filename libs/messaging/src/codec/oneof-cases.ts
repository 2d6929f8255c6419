import type { Message, Type } from 'protobufjs';
import { CodecError } from './codec-error';

/**
 * Envelope and Notification carry their body in a oneof whose case is chosen by a stable event
 * type name; these helpers keep the name ↔ case tables and the decoding checks in one place.
 */
export class OneofCases<Name extends string> {
  constructor(
    private readonly container: string,
    private readonly cases: Readonly<Record<Name, string>>,
  ) {}

  /** The oneof field for `name`; unknown names are a CodecError, never a silent drop. */
  fieldFor(name: string): string {
    const field = Object.hasOwn(this.cases, name) ? this.cases[name as Name] : undefined;
    if (!field) throw new CodecError(`unknown event type ${JSON.stringify(name)}: exchange.v1.${this.container} has no message for it`);
    return field;
  }

  /** The name whose case `field` is, checked against the name the message declares. */
  nameFor(field: unknown, declaredName: unknown): Name {
    const entry = Object.entries(this.cases).find(([, candidate]) => candidate === field);
    if (!entry) throw new CodecError(`the ${this.container} carries nothing this codec knows (type ${JSON.stringify(declaredName)})`);
    const name = entry[0] as Name;
    if (declaredName !== name) throw new CodecError(`the ${this.container} says type ${JSON.stringify(declaredName)} but carries ${name}`);
    return name;
  }
}

export function messageTypeOf(container: Type, field: string): Type {
  const resolved = container.fields[field]?.resolvedType;
  if (!resolved || !('fieldsArray' in resolved)) throw new CodecError(`${container.name} has no message field ${field}`);
  return resolved as Type;
}

export function decodeOrThrow(type: Type, bytes: Uint8Array): Message {
  if (!(bytes instanceof Uint8Array)) throw new CodecError(`${type.name} bytes must be a Uint8Array`);
  try {
    return type.decode(bytes);
  } catch (error) {
    throw new CodecError(`malformed ${type.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function checkedString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new CodecError('must be a string', name);
  return value;
}
