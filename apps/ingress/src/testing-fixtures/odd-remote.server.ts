import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { generateRsaKeyPair, type PemKeyPair } from '@peerfed/shared/activitypub';

/**
 * A remote server the simulator cannot play: an actor whose key we rotate, a key fetch that
 * hangs, and one that answers 10 MB.
 */
export class OddRemote {
  readonly gets = new Map<string, number>();
  keys!: PemKeyPair;
  private readonly server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    this.gets.set(path, (this.gets.get(path) ?? 0) + 1);
    if (path === '/users/hang') return; // never answers
    if (path === '/users/huge') {
      res.writeHead(200, { 'content-type': 'application/activity+json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 10; i++) res.write(chunk);
      res.end();
      return;
    }
    if (path !== '/users/rotor') {
      res.writeHead(404).end();
      return;
    }
    const id = this.actor('rotor');
    res.writeHead(200, { 'content-type': 'application/activity+json' });
    res.end(JSON.stringify({ id, type: 'Person', inbox: `${id}/inbox`, publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: this.keys.publicKeyPem } }));
  });
  base = '';

  async start(): Promise<void> {
    this.keys = await generateRsaKeyPair();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  actor(name: string): string {
    return `${this.base}/users/${name}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
