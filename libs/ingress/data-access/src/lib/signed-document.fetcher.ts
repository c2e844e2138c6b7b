import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpClientError, SafeHttpClient } from '@peerfed/platform/http-client';
import { ACTIVITYPUB_ACCEPT, isActivityPubMediaType, isJsonObject, signRequest, type JsonObject } from '@peerfed/shared/activitypub';
import { DocumentFetcher } from './document-fetcher.client';
import { IngressSettings } from './ingress-settings.types';
import { InstanceActorService } from './instance-actor.service';
import { RemoteFetchException, type RemoteFetchFailure } from './remote-fetch.exception';

/**
 * DocumentFetcher over SafeHttpClient: each GET is signed (draft-cavage, rsa-sha256) by the
 * instance actor, goes only to allowed addresses, and is bounded in time, size and redirects.
 */
@Injectable()
export class SignedDocumentFetcher extends DocumentFetcher implements OnApplicationShutdown {
  private readonly client: SafeHttpClient;

  constructor(
    private readonly instanceActor: InstanceActorService,
    settings: IngressSettings,
  ) {
    super();
    this.client = new SafeHttpClient({
      allowLoopback: settings.allowLoopbackPeers,
      allowHttp: settings.allowHttpPeers,
      timeoutMs: settings.fetchTimeoutMs,
      maxBytes: settings.fetchMaxBytes,
      maxRedirects: 3,
      userAgent: `${settings.software.name}/${settings.software.version} (+${settings.publicUrl})`,
    });
  }

  async fetchDocument(url: string): Promise<JsonObject> {
    const key = await this.instanceActor.signingKey();
    const headers = { accept: ACTIVITYPUB_ACCEPT };
    let signed: Record<string, string>;
    try {
      signed = signRequest({ method: 'GET', url, headers, keyId: key.keyId, privateKey: key.privateKey, scheme: 'cavage' });
    } catch (error) {
      throw new RemoteFetchException('invalid_document', url, (error as Error).message);
    }
    const response = await this.client.get(url, { headers: { ...headers, ...signed } }).catch((error: unknown) => {
      throw toFetchException(url, error);
    });
    if (response.status === 410) throw new RemoteFetchException('gone', url, 'HTTP 410');
    if (response.status === 404) throw new RemoteFetchException('not_found', url, 'HTTP 404');
    if (response.status !== 200) throw new RemoteFetchException('http_error', url, `HTTP ${response.status}`);
    const contentType = response.headers['content-type'];
    if (!isActivityPubMediaType(contentType, { lenient: true }) && !/^application\/json\b/i.test(contentType ?? '')) {
      throw new RemoteFetchException('invalid_document', url, `content type ${contentType ?? '(none)'} is not ActivityPub`);
    }
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RemoteFetchException('invalid_document', url, 'the body is not JSON');
    }
    if (!isJsonObject(document)) throw new RemoteFetchException('invalid_document', url, 'the body is not a JSON object');
    return document;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

function toFetchException(url: string, error: unknown): RemoteFetchException {
  if (!(error instanceof HttpClientError)) return new RemoteFetchException('network', url, String(error));
  const kinds: Record<string, RemoteFetchFailure> = {
    ERR_SSRF_BLOCKED: 'forbidden_address',
    ERR_INVALID_URL: 'forbidden_address',
    ERR_TIMEOUT: 'timeout',
    ERR_RESPONSE_TOO_LARGE: 'too_large',
  };
  return new RemoteFetchException(kinds[error.code] ?? 'network', url, error.message);
}
