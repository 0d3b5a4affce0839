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
  const { features = {}, mdastPlugins = [], hastPlugins = [] } = current.options as {
    features?: { gfm?: boolean; smartPunctuation?: boolean };
    mdastPlugins?: readonly unknown[];
    hastPlugins?: readonly unknown[];
  };
  // Replacing the processor would silently drop Sätteri plugins that your config or an
  // integration listed before this one added (Starlight's asides and Expressive Code).
  const plugins = mdastPlugins.length + hastPlugins.length;
  if (plugins > 0) {
    throw new AstroError(
      `astro-segments compiles :::segment blocks with a remark plugin, which needs the unified() Markdown processor, but markdown.processor is Sätteri with ${plugins} plugin(s) added by your config or an integration listed before segments() (Starlight adds its asides and code blocks this way). Switching processors would drop them.`,
      "Set markdown: { processor: unified() } with unified from '@astrojs/markdown-remark' in astro.config: Starlight and other integrations then add their unified plugins to it.",
    );
  }
  config.markdown.processor = unified({
    remarkPlugins: [plugin],
    ...(features.gfm === undefined ? {} : { gfm: features.gfm }),
    ...(features.smartPunctuation === undefined ? {} : { smartypants: features.smartPunctuation }),
  });
  logger.debug('Markdown now renders through unified() so remark-segments can compile :::segment blocks.');
}
