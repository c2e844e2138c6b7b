import { Module } from '@nestjs/common';
import { IngressDataAccessModule } from '@peerfed/ingress/data-access';
import { IngressDocumentsModule } from '@peerfed/ingress/feature-documents';
import { IngressInboxModule } from '@peerfed/ingress/feature-inbox';
import { IngressProcessingModule } from '@peerfed/ingress/feature-processing';
import { DatabaseModule } from '@peerfed/platform/database';
import { INGRESS_DATABASE } from './database/ingress-database.util';
import { IngressEnv } from './ingress-env.dto';
import { ingressSettingsFrom } from './ingress-settings.util';

@Module({
  imports: [
    DatabaseModule.forRoot(INGRESS_DATABASE),
    IngressDataAccessModule.forRoot({ settings: { inject: [IngressEnv], useFactory: ingressSettingsFrom } }),
    IngressDocumentsModule,
    IngressInboxModule,
    IngressProcessingModule,
  ],
})
export class AppModule {}
