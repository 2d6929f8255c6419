import { ApiProperty } from '@nestjs/swagger';

export class FeedEventDto {
  @ApiProperty({ format: 'uuid', description: 'id of the recorded event' })
  id: string;

  @ApiProperty({ example: 'grant.created', description: 'stable event type name' })
  type: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the caller may see of the event (never documents, derivations or secrets)',
  })
  data: Record<string, unknown>;
}

export class FeedPageDto {
  @ApiProperty({ type: [FeedEventDto] })
  items: FeedEventDto[];

  @ApiProperty({ description: 'always present: the cursor after the last item returned, or the `after` you sent when nothing is new. Poll with it.' })
  next: string;
}
