import { RecordContactUsecase } from './record-contact.usecase';

describe('RecordContactUsecase.hostOf', () => {
  it('takes the lowercased host of an actor URL, with its port when present', () => {
    expect(RecordContactUsecase.hostOf('https://Social.Example/users/ann')).toBe('social.example');
    expect(RecordContactUsecase.hostOf('https://social.example:8443/users/ann')).toBe('social.example:8443');
  });

  it('drops the default port as the URL parser does', () => {
    expect(RecordContactUsecase.hostOf('https://social.example:443/users/ann')).toBe('social.example');
  });

  it.each(['not a url', 'mailto:ann@social.example', ''])('returns null for %j', (actorId) => {
    expect(RecordContactUsecase.hostOf(actorId)).toBeNull();
  });
});
