import { describe, expect, it } from 'vitest';
import { isBot, readSignals } from '../src/index.ts';
import { NOW, request, signals } from './fixture.ts';

const DEFAULT_PARAMS = { param: 'segment', previewParam: 'segment-preview' };

describe('readSignals: request basics', () => {
  it('keeps the method upper-case, the raw (still encoded) path and the scheme', () => {
    const s = signals('/caf%C3%A9?x=1', { method: 'HEAD' });
    expect(s).toMatchObject({ method: 'HEAD', path: '/caf%C3%A9', secure: true, now: NOW });
    expect(signals('/', { https: false }).secure).toBe(false);
  });

  it('defaults `now` to the current time', () => {
    const before = Date.now();
    const s = readSignals(request('/'), DEFAULT_PARAMS);
    expect(s.now).toBeGreaterThanOrEqual(before);
    expect(s.now).toBeLessThanOrEqual(Date.now());
  });

  it('reads the choice and preview parameters named by the manifest, defaulting to segment / segment-preview', () => {
    const req = request('/?segment=a&pick=b&segment-preview=c&peek=d');
    expect(readSignals(req, DEFAULT_PARAMS)).toMatchObject({ choice: ['a'], preview: ['c'] });
    expect(readSignals(req, { param: 'pick', previewParam: 'peek' }, undefined, NOW)).toMatchObject({ choice: ['b'], preview: ['d'] });
  });
});

describe('readSignals: bounded query values', () => {
  it('keeps every choice value in order, at most 8', () => {
    const q = Array.from({ length: 12 }, (_, i) => `segment=v${i}`).join('&');
    expect(signals(`/?${q}`).choice).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
  });

  it('drops choice and preview values longer than 64 characters', () => {
    const long = 'a'.repeat(65);
    const s = signals(`/?segment=${long}&segment=${'b'.repeat(64)}&segment-preview=${long}`);
    expect(s.choice).toEqual(['b'.repeat(64)]);
    expect(s.preview).toEqual([]);
  });

  it('takes the first occurrence of each utm_* parameter, lowercased', () => {
    const s = signals('/?utm_source=Partner-Portal&utm_source=other&utm_medium=CPC&utm_campaign=Spring-26&utm_term=X&utm_content=Y');
    expect(s.utm).toEqual({ source: 'partner-portal', medium: 'cpc', campaign: 'spring-26', term: 'x', content: 'y' });
  });

  it('leaves utm_* absent when missing and drops values over 128 characters', () => {
    const s = signals(`/?utm_source=${'a'.repeat(129)}&utm_medium=${'b'.repeat(128)}`);
    expect(s.utm).toEqual({ medium: 'b'.repeat(128) });
    expect(signals('/').utm).toEqual({});
  });

  it('ignores utm-like parameters outside the five defined ones', () => {
    expect(signals('/?utm_id=1&utm_constructor=x&UTM_SOURCE=y').utm).toEqual({});
  });
});

describe('readSignals: referrer', () => {
  it('keeps only the lowercased host name of the Referer, without port, path or query', () => {
    expect(signals('/', { headers: { referer: 'https://News.Example-News.com:8443/a/b?q=secret#x' } }).referrer).toBe('news.example-news.com');
  });

  it('gives an empty referrer when the header is missing or not a URL', () => {
    expect(signals('/').referrer).toBe('');
    expect(signals('/', { headers: { referer: 'not a url' } }).referrer).toBe('');
    expect(signals('/', { headers: { referer: 'http://[::1' } }).referrer).toBe('');
  });
});

describe('readSignals: language', () => {
  const lang = (value: string) => signals('/', { headers: { 'accept-language': value } }).language;

  it('takes the primary subtag of the entry with the highest q, lowercased', () => {
    expect(lang('en-US,en;q=0.9')).toBe('en');
    expect(lang('fr;q=0.5, DE-AT;q=0.8, en;q=0.7')).toBe('de');
  });

  it('keeps the first entry on ties', () => {
    expect(lang('fr, de')).toBe('fr');
    expect(lang('fr;q=0.5, de;q=0.5')).toBe('fr');
  });

  it('skips `*`, q=0 and malformed weights', () => {
    expect(lang('*, en;q=0.5')).toBe('en');
    expect(lang('de;q=0, en;q=0.1')).toBe('en');
    expect(lang('de;q=abc, en;q=0.1')).toBe('en');
    expect(lang('de;q=2, en;q=0.1')).toBe('en');
    expect(lang('de;q=0')).toBe('');
  });

  it('accepts only 1–8 ASCII letters as the primary subtag', () => {
    expect(lang('abcdefghi, en;q=0.1')).toBe('en');
    expect(lang('e1')).toBe('');
    expect(lang('')).toBe('');
    // Header values are Latin-1 at most; no letter beyond ASCII is a tag character.
    expect(lang('dé, en;q=0.1')).toBe('en');
  });

  it('parses at most 16 entries', () => {
    const fifteen = Array.from({ length: 15 }, () => 'xx;q=0.1').join(', ');
    expect(lang(`${fifteen}, de;q=0.9`)).toBe('de');
    expect(lang(`${fifteen}, xx;q=0.1, de;q=0.9`)).toBe('xx');
  });
});

describe('readSignals: country', () => {
  it('comes from the platform, lowercased', () => {
    expect(signals('/', { platform: { country: 'DE' } }).country).toBe('de');
  });

  it('is never read from a request header', () => {
    const headers = { 'cf-ipcountry': 'DE', 'x-country': 'DE', 'x-vercel-ip-country': 'DE', 'x-nf-geo': 'DE' };
    expect(signals('/', { headers }).country).toBe('');
    expect(signals('/', { headers, platform: {} }).country).toBe('');
  });

  it('is empty unless the platform gives exactly two ASCII letters', () => {
    for (const country of ['DEU', 'd', 'd1', '', ' de', null, undefined, 'ǅe']) {
      expect(signals('/', { platform: { country } }).country).toBe('');
    }
  });
});

describe('readSignals: cookie, GPC, DNT', () => {
  it('truncates the Cookie header to 16384 characters', () => {
    const cookie = `a=${'x'.repeat(20_000)}`;
    expect(signals('/', { headers: { cookie } }).cookie).toHaveLength(16384);
    expect(signals('/', { headers: { cookie } }).cookie).toBe(cookie.slice(0, 16384));
  });

  it('sets gpc only for Sec-GPC: 1 (trimmed), as the GPC spec defines', () => {
    expect(signals('/', { headers: { 'sec-gpc': '1' } }).gpc).toBe(true);
    expect(signals('/', { headers: { 'sec-gpc': ' 1 ' } }).gpc).toBe(true);
    for (const value of ['0', 'true', '11', 'yes', '']) expect(signals('/', { headers: { 'sec-gpc': value } }).gpc).toBe(false);
    expect(signals('/').gpc).toBe(false);
  });

  it('sets dnt only for DNT: 1 (trimmed)', () => {
    expect(signals('/', { headers: { dnt: '1 ' } }).dnt).toBe(true);
    expect(signals('/', { headers: { dnt: '0' } }).dnt).toBe(false);
    expect(signals('/').dnt).toBe(false);
  });
});

describe('readSignals: bots', () => {
  const crawlers = [
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'DuckDuckBot-Https/1.1; (+https://duckduckgo.com/duckduckbot)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Twitterbot/1.0',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
    'CCBot/2.0 (https://commoncrawl.org/faq/)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)',
    'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
    'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
    'some-crawler/1.0',
    'ExampleSpider',
  ];
  const browsers = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:143.0) Gecko/20100101 Firefox/143.0',
    '',
  ];

  it.each(crawlers)('flags the known crawler %s', (ua) => {
    expect(isBot(ua)).toBe(true);
    expect(signals('/', { headers: { 'user-agent': ua } }).bot).toBe(true);
  });

  it.each(browsers)('does not flag the browser %s', (ua) => {
    expect(signals('/', { headers: { 'user-agent': ua } }).bot).toBe(false);
  });

  it('keeps nothing of the user agent but the bot flag', () => {
    const s = signals('/', { headers: { 'user-agent': 'Mozilla/5.0 UNIQUE-UA-TOKEN' } });
    expect(JSON.stringify(s)).not.toContain('UNIQUE-UA-TOKEN');
  });
});

describe('isBot: the crawler test, the only use of the user agent', () => {
  it('finds the named crawlers in any case, and no browser', () => {
    for (const agent of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; bingbot/2.0)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)',
      'Mozilla/5.0 (compatible; Baiduspider/2.0)',
      'facebookexternalhit/1.1',
      'Mozilla/5.0 (compatible; SiteCRAWLER)',
    ])
      expect(isBot(agent), agent).toBe(true);
    expect(isBot('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36')).toBe(false);
    expect(isBot('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1')).toBe(false);
    expect(isBot('')).toBe(false);
  });

  it('is not fooled into a match by a character outside ASCII that case-folds to a letter of a word', () => {
    // ſ (long s) upper-cases to S, and K (Kelvin) lower-cases to k: neither is ASCII, neither counts.
    expect(isBot('Mozilla/5.0 ſpider')).toBe(false);
    expect(isBot('Mozilla/5.0 bоt')).toBe(false); // Cyrillic о
  });
});
