import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Why an admin does something: every mutation is audited with it. */
export class ReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'their admin confirmed the proxy is fixed' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}
