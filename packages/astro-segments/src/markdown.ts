import type { AstroConfig, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import { isUnifiedProcessor, unified } from '@astrojs/markdown-remark';

type RemarkPluginEntry = NonNullable<Parameters<typeof unified>[0]>['remarkPlugins'] extends (infer T)[] | undefined ? T : never;

/**
 * `:::segment` blocks are compiled by a remark plugin, and only the `unified()`
 * processor runs remark plugins; Astro 7 defaults to Sätteri. Add the plugin
 * to a `unified()` processor the site already has, or replace the default one
 * with `unified()`, keeping its GFM and smart-punctuation settings. MDX
 * inherits `markdown.processor`, so both `.md` and `.mdx` get the plugin.
 *
 * The processor object is assigned, not merged through `updateConfig`: Astro's
 * renderer keeps a reference to the processor's `options`, which a deep merge
 * would clone.
 */
export function useRemarkPlugin(config: AstroConfig, plugin: RemarkPluginEntry, logger: AstroIntegrationLogger): void {
  const current = config.markdown.processor;
  if (isUnifiedProcessor(current)) {
    current.options.remarkPlugins.push(plugin);
    return;
  }
  if (current.name !== 'satteri') {
    throw new AstroError(
      `astro-segments compiles :::segment blocks with a remark plugin, but markdown.processor is "${current.name}", which does not run remark plugins.`,
      "Set markdown.processor to unified() from '@astrojs/markdown-remark' (add your plugins to it), or remove the processor setting.",
    );
  }
  const features = (current.options as { features?: { gfm?: boolean; smartPunctuation?: boolean } }).features ?? {};
  config.markdown.processor = unified({
    remarkPlugins: [plugin],
    ...(features.gfm === undefined ? {} : { gfm: features.gfm }),
    ...(features.smartPunctuation === undefined ? {} : { smartypants: features.smartPunctuation }),
  });
  logger.debug('Markdown now renders through unified() so remark-segments can compile :::segment blocks.');
}
