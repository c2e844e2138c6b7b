import { type IngressSettings, type RemoteActorRepository, type RemoteActorResolver } from '@peerfed/ingress/data-access';
import { digestHeader, KeyObjectCache } from '@peerfed/shared/activitypub';
import { type InboundQueueRepository } from './inbound-queue.repository';
import { InboxRejectionException } from './inbox-rejection.exception';
import { InboxService } from './inbox.service';
import { type Rfc9421SendersRepository } from './rfc9421-senders.repository';

const settings = { publicUrl: 'http://localhost:3000', maxClockSkewSeconds: 3600, blockedDomains: [] } as unknown as IngressSettings;

/** Every collaborator fails loudly: these requests must be refused before any of them is used. */
function strictService(): InboxService {
  const never = (name: string) => jest.fn(() => Promise.reject(new Error(`${name} must not be called`)));
  return new InboxService(
    settings,
    { resolveKey: never('resolveKey') } as unknown as RemoteActorResolver,
    { find: never('find') } as unknown as RemoteActorRepository,
    { enqueue: never('enqueue') } as unknown as InboundQueueRepository,
    { record: never('record') } as unknown as Rfc9421SendersRepository,
    new KeyObjectCache(),
  );
}

async function rejection(body: unknown, headers: Record<string, string> = {}): Promise<InboxRejectionException> {
  try {
    await strictService().receive({ method: 'POST', url: '/inbox', headers, body, inbox: 'http://localhost:3000/inbox' });
  } catch (error) {
    if (error instanceof InboxRejectionException) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('InboxService order of checks', () => {
  const activity = { id: 'https://r.example/a/1', type: 'Like', actor: 'https://r.example/u/1', object: 'http://localhost:3000/groups/demo' };

  it('refuses a body that is not raw ActivityPub bytes (415)', async () => {
    expect((await rejection({ parsed: true })).getStatus()).toBe(415);
  });

  it('checks JSON before anything else (400), even on an unsigned request', async () => {
    const error = await rejection(Buffer.from('{oops'));
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('invalid_json');
  });

  it('checks the activity shape before the signature (400)', async () => {
    const error = await rejection(Buffer.from(JSON.stringify({ ...activity, actor: undefined })));
    expect(error.getStatus()).toBe(400);
    expect(error.message).toMatch(/actor/);
  });

  it('refuses a missing signature without looking up anything (401)', async () => {
    const error = await rejection(Buffer.from(JSON.stringify(activity)));
    expect(error.getStatus()).toBe(401);
    expect(error.reason).toBe('missing_signature');
  });

  it('refuses a stale Date before fetching the key (401)', async () => {
    const body = Buffer.from(JSON.stringify(activity));
    const headers = {
      host: 'localhost:3000',
      date: new Date(Date.now() - 3 * 3600_000).toUTCString(),
      digest: digestHeader(body),
      signature: 'keyId="https://r.example/u/1#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"',
    };
    const error = await rejection(body, headers);
    expect(error.getStatus()).toBe(401);
    expect(error.reason).toBe('date_out_of_range');
  });
});
