import type { Rule } from '@astro-segments/edge';
import type { ResolvedOptions } from './validate-options.ts';

/** The module `<SegmentNotice>` (and any layout code) imports the site's segments from. */
export const VIRTUAL_CONFIG_ID = 'virtual:astro-segments/config';
const RESOLVED_ID = `\0${VIRTUAL_CONFIG_ID}`;

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

/** The part of a Vite plugin this one uses; assignable to Vite's `Plugin`. */
export interface VitePlugin {
  readonly name: string;
  resolveId(id: string): string | undefined;
  load(id: string): string | undefined;
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
  return {
    name: 'astro-segments:config',
    resolveId: (id) => (id === VIRTUAL_CONFIG_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? source : undefined),
  };
}
