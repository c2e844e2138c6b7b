import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ENTRY_ID, HOST_NAME, STREAM_NAME } from '../common/stream-name.util';

// The fields that select dead letters, declared once for the list query and the replay/purge bodies.

const FAILURES = ['invalid', 'handler-error', 'max-deliveries'] as const;

export function StreamField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: 'delivery.tasks.v1' }),
    Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.tasks.v1' }),
  );
}

export function GroupFilter(description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString(), Length(1, 128));
}

export function FailureFilter(description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ enum: FAILURES, description }), IsOptional(), IsIn(FAILURES));
}

export function MessageTypeFilter(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Matches(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, { message: 'type must be a message type like delivery.task' }),
  );
}

export function HostFilter(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Matches(HOST_NAME, { message: 'host must be a host name, optionally with :port' }),
  );
}

export function EntryIdsField(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], description }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(1000),
    Matches(ENTRY_ID, { each: true, message: 'ids must be stream entry ids' }),
  );
}
