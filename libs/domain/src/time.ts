/** Whether RFC 3339 date-time `a` is a later instant than `b` (offsets taken into account; not a string comparison). */
export function isAfter(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}
