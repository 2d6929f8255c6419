import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { invalid } from '@exchange/domain';

export class PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'opaque cursor: the `next` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/** The opaque cursor that continues after the item at `position`. */
export const cursorAfter = (position: bigint) => encodeCursor(`p:${position}`);

/** The opaque cursor that continues after the item whose sort key is `key` (lists ordered by a key rather than a position). */
export const cursorAfterKey = (key: string) => encodeCursor(`k:${key}`);

const encodeCursor = (text: string) => Buffer.from(text).toString('base64url');

const unknownCursor = () =>
  invalid('invalid-cursor', 'after is not a cursor this exchange gave out', [{ field: 'after', message: 'unknown cursor' }]);

function decodePosition(cursor: string): bigint {
  const match = /^p:(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw unknownCursor();
  return BigInt(match[1]!);
}

function decodeKey(cursor: string): string {
  const match = /^k:([\x21-\x7e]{1,200})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw unknownCursor();
  return match[1]!;
}

function pageOf<T, R>(rest: readonly T[], limit: number, cursorOf: (item: T) => string, render: (item: T) => R): Page<R> {
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(render), ...(rest.length > limit && last !== undefined && { next: cursorOf(last) }) };
}

/** Oldest first, `limit` at a time, after an opaque cursor; `positionOf` orders the items. */
export function paginate<T, R = T>(
  items: readonly T[],
  positionOf: (item: T) => bigint,
  query: PageQuery,
  render: (item: T) => R = (x) => x as unknown as R,
): Page<R> {
  const after = query.after === undefined ? -1n : decodePosition(query.after);
  return pageOf(
    items.filter((item) => positionOf(item) > after),
    query.limit ?? 50,
    (item) => cursorAfter(positionOf(item)),
    render,
  );
}

/** Like `paginate`, for items in the order of a string sort key (visible ASCII, compared as strings). */
export function paginateByKey<T, R = T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: PageQuery,
  render: (item: T) => R = (x) => x as unknown as R,
): Page<R> {
  const after = query.after === undefined ? undefined : decodeKey(query.after);
  return pageOf(
    after === undefined ? items : items.filter((item) => keyOf(item) > after),
    query.limit ?? 50,
    (item) => cursorAfterKey(keyOf(item)),
    render,
  );
}
