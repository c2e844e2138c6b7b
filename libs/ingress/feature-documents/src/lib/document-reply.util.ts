import { acceptsActivityPub, ACTIVITY_JSON } from '@peerfed/shared/activitypub';
import { type FastifyReply } from 'fastify';

/**
 * Content negotiation of documents: ActivityPub JSON when the client asks for
 * `application/activity+json` or the ld+json profile (or for nothing in particular, like curl);
 * a small HTML page when a browser asks for text/html.
 */
export function wantsHtml(accept: string | undefined): boolean {
  if (acceptsActivityPub(accept, { lenient: true })) return false;
  return accept !== undefined && /\btext\/html\b/i.test(accept);
}

export function sendActivityJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', `${ACTIVITY_JSON}; charset=utf-8`)
    .header('vary', 'Accept')
    .send(JSON.stringify(body));
}

export function sendJson(reply: FastifyReply, body: unknown, contentType: string, status = 200): FastifyReply {
  return reply.status(status).header('content-type', contentType).header('access-control-allow-origin', '*').send(JSON.stringify(body));
}

/** A minimal page for people who open an actor URL in a browser. */
export function sendHtml(reply: FastifyReply, title: string, lines: readonly string[], status = 200): FastifyReply {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(
    title,
  )}</h1>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`;
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('vary', 'Accept').send(body);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
