import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { IngressSettings } from '@peerfed/ingress/data-access';
import { type FastifyInstance } from 'fastify';

/** The media types an inbox accepts; their bodies reach the controller as raw bytes. */
export const INBOX_CONTENT_TYPES = ['application/activity+json', 'application/ld+json'] as const;

/**
 * Registers a buffer parser for ActivityPub media types: the digest must be checked against the
 * exact bytes received, so the inbox parses JSON itself. Fastify enforces the body limit (413)
 * before reading, from Content-Length or while streaming.
 */
@Injectable()
export class InboxBodyParserService implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly settings: IngressSettings,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser(
      [...INBOX_CONTENT_TYPES],
      { parseAs: 'buffer', bodyLimit: this.settings.inboxMaxBodyBytes },
      (_request, body, done) => done(null, body),
    );
  }
}
