/**
 * Known-crawler test: the only use of the user agent. Named crawlers are all
 * covered by the generic words (Googlebot, bingbot, DuckDuckBot, YandexBot,
 * Applebot, Twitterbot, LinkedInBot, Slackbot, Discordbot, GPTBot, ClaudeBot,
 * CCBot, PerplexityBot, AhrefsBot, SemrushBot → `bot`; Baiduspider → `spider`),
 * except facebookexternalhit (matched as externalhit). A false positive only costs the default page.
 *
 * Lower-cased, then searched for each word: what `/bot|crawl|spider|externalhit/i`
 * finds, without a regular expression per request. (No character outside ASCII
 * lower-cases into one of these words as a whole.)
 */
const CRAWLER_WORDS = ['bot', 'crawl', 'spider', 'externalhit'];

export function isBot(userAgent: string): boolean {
  const lower = userAgent.toLowerCase();
  for (const word of CRAWLER_WORDS) if (lower.includes(word)) return true;
  return false;
}
