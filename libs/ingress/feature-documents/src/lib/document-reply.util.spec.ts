import { escapeHtml, wantsHtml } from './document-reply.util';

describe('content negotiation', () => {
  it('serves ActivityPub to ActivityPub clients and to clients without a preference', () => {
    expect(wantsHtml('application/activity+json')).toBe(false);
    expect(wantsHtml('application/ld+json; profile="https://www.w3.org/ns/activitystreams"')).toBe(false);
    expect(wantsHtml('text/html, application/activity+json')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('*/*')).toBe(false);
  });

  it('serves HTML to browsers', () => {
    expect(wantsHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<b a="1">&\'')).toBe('&#60;b a=&#34;1&#34;&#62;&#38;&#39;');
  });
});
