import type { BlockMarker } from './context.ts';

/** The marker element's attributes, as hast properties: `data-when="…"` or `data-otherwise=""`. */
export function markerProperties(marker: BlockMarker): { dataWhen: string } | { dataOtherwise: '' } {
  return 'when' in marker ? { dataWhen: marker.when } : { dataOtherwise: '' };
}
