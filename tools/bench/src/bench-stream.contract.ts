import { IsInt, IsString, Length, Min } from 'class-validator';
import { defineStream } from '@peerfed/shared/contracts';

/** A small message, about the size of a delivery outcome. */
export class BenchPayload {
  @IsInt()
  @Min(0)
  seq!: number;

  @IsString()
  @Length(1, 1024)
  body!: string;
}

export const BenchStream = defineStream({ stream: 'bench.events.v1', type: 'bench.event', schemaVersion: 1, payload: BenchPayload });

export const BENCH_BODY = 'x'.repeat(200);
