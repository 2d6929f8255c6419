import {
  AUDIT_STATUSES,
  MINERALS,
  READ_REFUSAL_REASONS,
  RISK_LEVELS,
  ROLES,
  STEP_STATUSES,
  type Acknowledgement,
  type AttestationResult,
  type Purpose,
  type RequestAnswered,
  type RequestKind,
  type ResourceType,
  type Scope,
} from '@exchange/domain';
import { Enum, Namespace, type ReflectionObject, type Root } from 'protobufjs';
import { CodecError } from './codec-error';

/** Every value of a string union, checked complete by the compiler. */
const allOf = <T extends string>(values: Record<T, true>): readonly T[] => Object.keys(values) as T[];

/** Proto enum name → the domain's values it carries, in the proto's order (value 0 is UNSPECIFIED). */
export const DOMAIN_VOCABULARIES: Readonly<Record<string, readonly string[]>> = {
  Role: ROLES,
  RequestKind: allOf<RequestKind>({ cfp: true, dd: true }),
  DocumentType: allOf<RequestAnswered['documentType']>({ footprint: true, 'dd-report': true }),
  AttestationResult: allOf<AttestationResult>({ verified: true, rejected: true }),
  Mineral: MINERALS,
  RiskLevel: RISK_LEVELS,
  StepStatus: STEP_STATUSES,
  AuditStatus: AUDIT_STATUSES,
  ResourceType: allOf<ResourceType>({ footprint: true, 'dd-report': true, submission: true }),
  Purpose: allOf<Purpose>({ 'downstream-aggregation': true, verification: true, regulatory: true }),
  Scope: allOf<Scope>({ document: true, derivation: true }),
  ReadRefusalReason: READ_REFUSAL_REASONS,
  AcknowledgementResult: allOf<Acknowledgement['result']>({ accepted: true, rejected: true }),
};

/** 'dd-report' → 'DD_REPORT', 'naturalGraphite' → 'NATURAL_GRAPHITE', 'AuditStatus' → 'AUDIT_STATUS'. */
export function screamingSnake(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

export function protoEnumValueName(enumName: string, domainValue: string): string {
  return `${screamingSnake(enumName)}_${screamingSnake(domainValue)}`;
}

/** Domain string ↔ proto enum value name for one enum. */
export class Vocabulary {
  private readonly toProtoName = new Map<string, string>();
  private readonly toDomainValue = new Map<string, string>();

  constructor(readonly enumName: string) {
    const values = DOMAIN_VOCABULARIES[enumName];
    if (!values) throw new CodecError(`proto enum ${enumName} has no domain vocabulary`);
    for (const value of values) {
      this.toProtoName.set(value, protoEnumValueName(enumName, value));
      this.toDomainValue.set(protoEnumValueName(enumName, value), value);
    }
  }

  toProto(value: unknown, path: string): string {
    const name = typeof value === 'string' ? this.toProtoName.get(value) : undefined;
    if (name === undefined) throw new CodecError(`${JSON.stringify(value)} is not a ${this.enumName}`, path);
    return name;
  }

  toDomain(name: unknown, path: string): string {
    const value = typeof name === 'string' ? this.toDomainValue.get(name) : undefined;
    if (value === undefined) throw new CodecError(`${String(name)} is not a known ${this.enumName}`, path);
    return value;
  }
}

const vocabularies = new Map<string, Vocabulary>();

export function vocabularyOf(protoEnum: Enum): Vocabulary {
  let vocabulary = vocabularies.get(protoEnum.name);
  if (!vocabulary) {
    vocabulary = new Vocabulary(protoEnum.name);
    vocabularies.set(protoEnum.name, vocabulary);
  }
  return vocabulary;
}

/** Fails loudly when a proto enum and the domain's vocabulary drifted apart (either side). */
export function assertVocabulariesMatch(root: Root): void {
  for (const protoEnum of enumsIn(root)) {
    const expected = [
      `${screamingSnake(protoEnum.name)}_UNSPECIFIED`,
      ...(DOMAIN_VOCABULARIES[protoEnum.name] ?? []).map((value) => protoEnumValueName(protoEnum.name, value)),
    ];
    const actual = Object.entries(protoEnum.values)
      .sort(([, a], [, b]) => a - b)
      .map(([name]) => name);
    if (expected.join() !== actual.join()) {
      throw new CodecError(`proto enum ${protoEnum.fullName} is [${actual.join(', ')}] but the domain says [${expected.join(', ')}]`);
    }
  }
}

export function enumsIn(namespace: ReflectionObject): Enum[] {
  if (namespace instanceof Enum) return [namespace];
  if (!(namespace instanceof Namespace)) return [];
  return namespace.nestedArray.flatMap(enumsIn);
}
