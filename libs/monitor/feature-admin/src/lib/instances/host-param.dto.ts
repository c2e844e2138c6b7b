import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { HOST_NAME } from '../common/stream-name.util';

export class HostParamDto {
  @ApiProperty({ example: 'mastodon.example' })
  @Matches(HOST_NAME, { message: 'host must be a host name, optionally with :port' })
  host!: string;
}
