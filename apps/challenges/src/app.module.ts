import { Module } from '@nestjs/common';
import { DatabaseModule } from '@peerfed/platform/database';
import { CHALLENGES_DATABASE } from './database/challenges-database.util';

@Module({
  imports: [DatabaseModule.forRoot(CHALLENGES_DATABASE)],
})
export class AppModule {}
