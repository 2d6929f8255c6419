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
export const cursorAfter = (position: bigint) => Buffer.from(`p:${position}`).toString('base64url');

function decode(cursor: string): bigint {
  const match = /^p:(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid('invalid-cursor', 'after is not a cursor this exchange gave out', [{ field: 'after', message: 'unknown cursor' }]);
  return BigInt(match[1]!);
}

/** Oldest first, `limit` at a time, after an opaque cursor; `positionOf` orders the items. */
export function paginate<T, R = T>(items: readonly T[], positionOf: (item: T) => bigint, query: PageQuery, render: (item: T) => R = (x) => x as unknown as R): Page<R> {
  const limit = query.limit ?? 50;
  const after = query.after === undefined ? -1n : decode(query.after);
  const rest = items.filter((item) => positionOf(item) > after);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(render), ...(rest.length > limit && last !== undefined && { next: cursorAfter(positionOf(last)) }) };
}
