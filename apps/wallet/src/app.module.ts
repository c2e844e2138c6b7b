import { Module } from '@nestjs/common';
import { DatabaseModule } from '@peerfed/platform/database';
import { WALLET_DATABASE } from './database/wallet-database.util';

@Module({
  imports: [DatabaseModule.forRoot(WALLET_DATABASE)],
})
export class AppModule {}
