import { Enum, Type, type Field, type IConversionOptions, type OneOf } from 'protobufjs';
import { CodecError } from './codec-error';
import { vocabularyOf } from './vocabularies';

/**
 * Maps the domain's camelCase JSON to the plain objects protobufjs encodes, and back, by walking
 * the proto reflection: no hand-written mapper per message. Strict in both directions, so that a
 * round trip is lossless or fails: unknown domain keys, missing required fields, wrong scalar
 * kinds and unknown enum values are CodecErrors.
 */

/** How decoded messages are turned into plain objects before the walk back to the domain. */
export const TO_OBJECT_OPTIONS: IConversionOptions = { enums: String, longs: String, defaults: true, arrays: true, oneofs: true };

type PlainObject = Record<string, unknown>;
const UINT32_MAX = 0xffff_ffff;

export function toProtoObject(type: Type, value: unknown, path: string): PlainObject {
  const domain = asPlainObject(value, path);
  const union = taggedUnionOf(type);
  if (union) return taggedUnionToProto(union, domain, path);
  rejectUnknownKeys(type, domain, path);
  const result: PlainObject = {};
  for (const field of type.fieldsArray) {
    const key = domainKeyOf(field);
    const fieldValue = domain[key];
    if (fieldValue === undefined) {
      if (isOptional(field)) continue;
      throw new CodecError('is required', `${path}.${key}`);
    }
    result[field.name] = fieldToProto(field, fieldValue, `${path}.${key}`);
  }
  return result;
}

export function fromProtoObject(type: Type, object: unknown, path: string): PlainObject {
  const proto = asPlainObject(object, path);
  const union = taggedUnionOf(type);
  if (union) return taggedUnionFromProto(union, proto, path);
  const result: PlainObject = {};
  for (const field of type.fieldsArray) {
    const key = domainKeyOf(field);
    const fieldValue = proto[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (isOptional(field)) continue;
      throw new CodecError('is missing', `${path}.${key}`);
    }
    result[key] = fieldFromProto(field, fieldValue, `${path}.${key}`);
  }
  return result;
}

/** The domain's name of a field: proto3 `json_name` when given, else protobufjs's lowerCamelCase. */
export function domainKeyOf(field: Field): string {
  const jsonName = field.options?.['json_name'];
  return typeof jsonName === 'string' ? jsonName : field.name;
}

function isOptional(field: Field): boolean {
  return field.options?.['proto3_optional'] === true;
}

function fieldToProto(field: Field, value: unknown, path: string): unknown {
  if (!field.repeated) return valueToProto(field, value, path);
  if (!Array.isArray(value)) throw new CodecError('must be an array', path);
  return value.map((item, index) => valueToProto(field, item, `${path}[${index}]`));
}

function fieldFromProto(field: Field, value: unknown, path: string): unknown {
  if (!field.repeated) return valueFromProto(field, value, path);
  if (!Array.isArray(value)) throw new CodecError('must be a repeated field', path);
  return value.map((item, index) => valueFromProto(field, item, `${path}[${index}]`));
}

function valueToProto(field: Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof Type) return toProtoObject(resolved, value, path);
  if (resolved instanceof Enum) return vocabularyOf(resolved).toProto(value, path);
  return checkedScalar(field.type, value, path);
}

function valueFromProto(field: Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof Type) return fromProtoObject(resolved, value, path);
  if (resolved instanceof Enum) return vocabularyOf(resolved).toDomain(value, path);
  return checkedScalar(field.type, value, path);
}

/** The scalar kinds the contract uses; anything else in a .proto is a contract this codec cannot carry losslessly. */
function checkedScalar(protoType: string, value: unknown, path: string): unknown {
  switch (protoType) {
    case 'string':
      if (typeof value !== 'string') throw new CodecError('must be a string', path);
      return value;
    case 'uint32':
      if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > UINT32_MAX) {
        throw new CodecError('must be an integer from 0 to 2^32-1', path);
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new CodecError('must be a boolean', path);
      return value;
    default:
      throw new CodecError(`proto scalar type ${protoType} is not supported by the codec`, path);
  }
}

/** A message whose only content is `oneof kind { ... }`: the domain's `{ kind: '<field>', ...fields }`. */
function taggedUnionOf(type: Type): OneOf | undefined {
  const kind = type.oneofs?.['kind'];
  return kind && kind.fieldsArray.length === type.fieldsArray.length ? kind : undefined;
}

function taggedUnionToProto(union: OneOf, domain: PlainObject, path: string): PlainObject {
  const { kind, ...rest } = domain;
  const field = union.fieldsArray.find((candidate) => domainKeyOf(candidate) === kind);
  if (!field) throw new CodecError(`kind ${JSON.stringify(kind)} is not one of ${union.oneof.join(', ')}`, `${path}.kind`);
  return { [field.name]: toProtoObject(field.resolvedType as Type, rest, path) };
}

function taggedUnionFromProto(union: OneOf, proto: PlainObject, path: string): PlainObject {
  const field = union.fieldsArray.find((candidate) => candidate.name === proto[union.name]);
  if (!field) throw new CodecError('no kind is set', `${path}.kind`);
  return { kind: domainKeyOf(field), ...fromProtoObject(field.resolvedType as Type, proto[field.name], path) };
}

function rejectUnknownKeys(type: Type, domain: PlainObject, path: string): void {
  const known = new Set(type.fieldsArray.map(domainKeyOf));
  const unknown = Object.keys(domain).find((key) => !known.has(key) && domain[key] !== undefined);
  if (unknown !== undefined) throw new CodecError(`has no field in ${type.fullName.slice(1)} (the proto must grow one)`, `${path}.${unknown}`);
}

function asPlainObject(value: unknown, path: string): PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CodecError('must be an object', path);
  return value as PlainObject;
}
