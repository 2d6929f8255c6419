const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes as a string, or undefined when they are not valid UTF-8. A BOM is kept, not skipped. */
export function decodeUtf8Strictly(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** JSON.parse that answers undefined instead of throwing (JSON text can never parse to undefined). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Whether any string or member name in a JSON value holds a lone surrogate: such a value has no
 * UTF-8 form, so RFC 8785 (section 3.2.2.2) refuses to canonicalize it.
 */
export function containsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(containsLoneSurrogate);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([name, member]) => LONE_SURROGATE.test(name) || containsLoneSurrogate(member));
  }
  return false;
}

/**
 * Whether a JSON text (already known to parse) repeats a member name within one object. JSON.parse
 * silently keeps the last duplicate, other parsers the first: a signed header or payload with
 * duplicates means different things to different verifiers. Names are compared once unescaped,
 * so "alg" and "\u0061lg" are the same name.
 */
export function hasDuplicateMemberNames(text: string): boolean {
  const scopes: ({ names: Set<string>; expectName: boolean } | null)[] = []; // null: an array
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{') scopes.push({ names: new Set(), expectName: true });
    else if (char === '[') scopes.push(null);
    else if (char === '}' || char === ']') scopes.pop();
    else if (char === ',') {
      const scope = scopes[scopes.length - 1];
      if (scope) scope.expectName = true;
    } else if (char === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const scope = scopes[scopes.length - 1];
      if (scope?.expectName) {
        const name = JSON.parse(text.slice(start, i + 1)) as string;
        if (scope.names.has(name)) return true;
        scope.names.add(name);
        scope.expectName = false;
      }
    }
  }
  return false;
}
