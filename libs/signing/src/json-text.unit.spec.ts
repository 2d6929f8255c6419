import { hasDuplicateMemberNames } from './json-text';

describe('hasDuplicateMemberNames', () => {
  it.each([
    ['{}'],
    ['[]'],
    ['{"a":1,"b":{"a":2,"b":[{"a":3},{"a":4}]}}'],
    ['{"a":"{\\"a\\":1,\\"a\\":2}","b":"a"}'],
    ['{"a":["a","a"],"b":"\\\\","c":1}'],
    ['[{"a":1},{"a":1}]'],
    ['"a"'],
  ])('finds none in %s', (text) => {
    JSON.parse(text);
    expect(hasDuplicateMemberNames(text)).toBe(false);
  });

  it.each([
    ['{"a":1,"a":1}'],
    ['{"a":1,"b":{"c":1,"c":2}}'],
    ['[{"a":1,"a":2}]'],
    ['{"a":1,"\\u0061":2}'],
    ['{"x":"\\"","y":[],"x":0}'],
    [' { "a" : 1 , "a" : 2 } '],
  ])('finds one in %s', (text) => {
    JSON.parse(text);
    expect(hasDuplicateMemberNames(text)).toBe(true);
  });
});
