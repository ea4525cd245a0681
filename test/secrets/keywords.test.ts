import { KeywordAutomaton } from '../../shared/secrets/keywords';

describe('KeywordAutomaton', () => {
  const find = (keywords: string[], text: string) =>
    [...new KeywordAutomaton(keywords).find(Buffer.from(text, 'latin1'))]
      .map((i) => keywords[i])
      .sort();

  it('finds every keyword that occurs, once, whatever the case', () => {
    expect(find(['akia', 'ghp_', 'secret'], 'x AKIA y ghp_ SeCrEt akia')).toEqual([
      'akia',
      'ghp_',
      'secret',
    ]);
  });

  it('finds keywords that overlap or sit inside one another', () => {
    expect(find(['he', 'she', 'his', 'hers'], 'ushers')).toEqual(['he', 'hers', 'she']);
    expect(find(['_auth', '_authtoken'], '//r/:_authToken=x')).toEqual(['_auth', '_authtoken']);
  });

  it('finds nothing in a text without keywords, or an empty one', () => {
    expect(find(['akia'], 'nothing to see here')).toEqual([]);
    expect(find(['akia'], '')).toEqual([]);
  });

  it('reads bytes outside ASCII without confusion', () => {
    expect(find(['token'], '\u00ff\u00fetoken\u0000')).toEqual(['token']);
  });

  it('agrees with a naive search on random texts', () => {
    const keywords = ['ab', 'bab', 'abc', 'ca', 'a', 'bcab'];
    const automaton = new KeywordAutomaton(keywords);
    let seed = 1;
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 30; i++) {
        seed = (Math.imul(seed, 48_271) + 11) >>> 0;
        text += 'abcAB'[seed % 5];
      }
      const naive = keywords.flatMap((k, i) => (text.toLowerCase().includes(k) ? [i] : []));
      expect([...automaton.find(Buffer.from(text))].sort()).toEqual(naive);
    }
  });

  it('fails on an empty or non-ASCII keyword', () => {
    expect(() => new KeywordAutomaton([''])).toThrow(RangeError);
    expect(() => new KeywordAutomaton(['clé'])).toThrow(RangeError);
  });
});
