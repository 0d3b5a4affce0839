import type { Rule } from '@astro-segments/edge';
import type { ResolvedOptions } from './validate-options.ts';

/** The module `<SegmentNotice>` (and any layout code) imports the site's segments from. */
export const VIRTUAL_CONFIG_ID = 'virtual:astro-segments/config';

/**
 * What `virtual:astro-segments/config` exports as default: the declared
 * dimensions, labels and compiled rules, and the query parameter names. Build
 * data only; nothing about any request.
 */
export interface SegmentsConfig {
  readonly param: string;
  readonly previewParam: string;
  readonly dimensions: readonly {
    readonly name: string;
    readonly default: string;
    readonly values: readonly {
      readonly name: string;
      readonly label: string;
      readonly relationship: boolean;
      readonly rules: readonly Rule[];
    }[];
  }[];
}

/** A hook with a filter Vite and Rolldown apply natively: the hook runs only for the ids it names. */
interface FilteredHook {
  readonly filter: { readonly id: RegExp };
  handler(id: string): string | undefined;
}

/** A virtual-module plugin; assignable to Vite's `Plugin`. */
export interface VitePlugin {
  readonly name: string;
  readonly resolveId: FilteredHook;
  readonly load: FilteredHook;
}

/**
 * A Vite plugin that provides the module `id` with the code `source()` returns (read when the
 * module is first loaded). The hooks carry filters, as Astro's own plugins do: the bundler
 * resolves and loads every other module without calling into JavaScript for this plugin.
 */
export function virtualModule(name: string, id: string, source: () => string): VitePlugin {
  const resolved = `\0${id}`;
  const exactly = (text: string) => new RegExp(`^${text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`);
  return {
    name,
    resolveId: { filter: { id: exactly(id) }, handler: (candidate) => (candidate === id ? resolved : undefined) },
    load: { filter: { id: exactly(resolved) }, handler: (candidate) => (candidate === resolved ? source() : undefined) },
  };
}

export function segmentsConfigOf(options: ResolvedOptions): SegmentsConfig {
  return {
    param: options.param,
    previewParam: options.previewParam,
    dimensions: options.dimensions.map((dimension) => ({
      name: dimension.name,
      default: dimension.default,
      values: dimension.values.map((value) => ({
        name: value.name,
        label: value.label,
        relationship: value.relationship,
        rules: value.rules,
      })),
    })),
  };
}

/**
 * A Vite plugin providing `virtual:astro-segments/config`, so components can
 * render per-segment text at build time without request data. Add it in
 * `astro:config:setup` with `updateConfig({ vite: { plugins: [virtualConfig(options)] } })`.
 */
export function virtualConfig(options: ResolvedOptions): VitePlugin {
  const source = `const config = ${JSON.stringify(segmentsConfigOf(options))};\nexport default config;\n`;
  return virtualModule('astro-segments:config', VIRTUAL_CONFIG_ID, () => source);
}
