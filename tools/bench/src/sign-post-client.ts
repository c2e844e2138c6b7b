import { createPrivateKey } from 'node:crypto';
import { ACTIVITY_JSON, signRequest } from '@peerfed/shared/activitypub';
import { Agent } from 'undici';

/** What the delivery benchmark hands each floor client (JSON in SIGN_POST_CLIENT). */
export interface SignPostClientConfig {
  inboxes: string[];
  keyId: string;
  actorId: string;
  privateKeyPem: string;
  seconds: number;
  concurrency: number;
  /** Keeps activity ids unique across clients. */
  name: string;
}

export interface SignPostClientResult {
  accepted: number;
  failed: number;
  seconds: number;
  /** This process's CPU time over the run (user + system). */
  cpuMs: number;
}

/**
 * The floor of a delivery on this machine: our signer (draft-cavage, as delivery signs by default)
 * and an undici keep-alive pool, POSTing to the simulated inboxes in a closed loop, with no
 * queue, no status, no rate limit and no archive. The delivery benchmark runs one per replica it
 * replaces and prints the result as one JSON line on stdout.
 */
export async function runSignPostClient(config: SignPostClientConfig): Promise<SignPostClientResult> {
  const privateKey = createPrivateKey(config.privateKeyPem);
  const cpuBefore = process.cpuUsage();
  const agent = new Agent({ connections: 8 });
  const started = Date.now();
  const end = started + config.seconds * 1000;
  let next = 0;
  let accepted = 0;
  let failed = 0;

  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      const sequence = next++;
      const inbox = config.inboxes[sequence % config.inboxes.length] ?? '';
      const activity = Math.floor(sequence / config.inboxes.length);
      const body = JSON.stringify({
        id: `${config.actorId}/floor/${config.name}-${activity}`,
        type: 'Create',
        actor: config.actorId,
        object: { id: `${config.actorId}/floor-notes/${config.name}-${activity}`, type: 'Note', attributedTo: config.actorId, content: `note ${activity}` },
      });
      const headers = signRequest({ method: 'POST', url: inbox, headers: { 'content-type': ACTIVITY_JSON }, body, keyId: config.keyId, privateKey, scheme: 'cavage' });
      const { origin, pathname } = new URL(inbox);
      try {
        const response = await agent.request({ origin, path: pathname, method: 'POST', body, headers: { ...headers, 'content-type': ACTIVITY_JSON } });
        await response.body.dump();
        if (response.statusCode === 202) accepted++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, loop));
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await agent.close();
  return { accepted, failed, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}
