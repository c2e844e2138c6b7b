import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'api/docs';

/** Swagger UI at /api/docs, the document at /api/docs-json. */
export function setupOpenApi(app: INestApplication, serviceName: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Peerfed ${serviceName}`)
      .setDescription(`HTTP API of the Peerfed ${serviceName} service`)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(OPENAPI_PATH, app, document);
}
