import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { protoDirectory } from './proto-root';
import { exchangeProtoRoot } from './proto-root';
import { DOMAIN_VOCABULARIES, enumsIn, protoEnumValueName, screamingSnake } from './vocabularies';

describe('proto enums and domain vocabularies', () => {
  it('every proto enum has a domain vocabulary and the same values, and every vocabulary an enum', () => {
    const enums = enumsIn(exchangeProtoRoot());
    expect(enums.map((protoEnum) => protoEnum.name).sort()).toEqual(Object.keys(DOMAIN_VOCABULARIES).sort());
    for (const protoEnum of enums) {
      const domainValues = DOMAIN_VOCABULARIES[protoEnum.name]!;
      expect(Object.keys(protoEnum.values)).toEqual([
        `${screamingSnake(protoEnum.name)}_UNSPECIFIED`,
        ...domainValues.map((value) => protoEnumValueName(protoEnum.name, value)),
      ]);
    }
  });

  it('derives enum value names from kebab-case and camelCase domain values', () => {
    expect(protoEnumValueName('DocumentType', 'dd-report')).toBe('DOCUMENT_TYPE_DD_REPORT');
    expect(protoEnumValueName('Mineral', 'naturalGraphite')).toBe('MINERAL_NATURAL_GRAPHITE');
    expect(protoEnumValueName('Purpose', 'downstream-aggregation')).toBe('PURPOSE_DOWNSTREAM_AGGREGATION');
  });
});

describe('protoDirectory', () => {
  it('finds the repository proto/ directory from this source folder', () => {
    expect(protoDirectory()).toBe(join(__dirname, '../../../../proto'));
  });

  it('refuses a tree without the exchange proto files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'no-proto-'));
    try {
      mkdirSync(join(directory, 'a', 'b'), { recursive: true });
      expect(() => protoDirectory(join(directory, 'a', 'b'))).toThrow('no proto/exchange/v1/events.proto above');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
