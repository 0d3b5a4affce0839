/**
 * Known-crawler test: the only use of the user agent. Named crawlers are all
 * covered by the generic words (Googlebot, bingbot, DuckDuckBot, YandexBot,
 * Applebot, Twitterbot, LinkedInBot, Slackbot, Discordbot, GPTBot, ClaudeBot,
 * CCBot, PerplexityBot, AhrefsBot, SemrushBot → `bot`; Baiduspider → `spider`),
 * except facebookexternalhit (matched as externalhit). A false positive only costs the default page.
 */
export const isBot = (ua: string): boolean => /bot|crawl|spider|externalhit/i.test(ua);
