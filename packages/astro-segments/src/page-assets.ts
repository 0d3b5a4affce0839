/**
 * Assets a Markdown plugin writes once per page, at its first use: Expressive
 * Code (Starlight's code blocks) puts its stylesheet and script inside the
 * first code block of a page. When that block is inside a segment block, every
 * version that hides it would show its other code blocks unstyled and without
 * their copy buttons. Such a version gets the assets back, at the start of its
 * first code block, exactly as Expressive Code would have written them there.
 * (Astro's own once-per-page island scripts are handled in `islands.ts`.)
 */
const EXPRESSIVE_CODE = '<div class="expressive-code">';
const EC_ASSETS = /<link rel="stylesheet" href="[^"]*\/ec\.[\w-]+\.css">(?:<script type="module" src="[^"]*\/ec\.[\w-]+\.js"><\/script>)?/;

/** The assets, when the page writes them inside a segment block (`[start, end)` ranges of the blocks' content). */
export function assetsInBlocks(html: string, blocks: readonly { readonly innerStart: number; readonly innerEnd: number }[]): string | undefined {
  const found = EC_ASSETS.exec(html);
  if (!found) return undefined;
  return blocks.some((block) => found.index >= block.innerStart && found.index < block.innerEnd) ? found[0] : undefined;
}

/** A version that shows a code block but lost the assets with a hidden block gets them back. */
export function restoreAssets(version: string, assets: string | undefined): string {
  if (assets === undefined || version.includes(assets)) return version;
  const first = version.indexOf(EXPRESSIVE_CODE);
  if (first < 0) return version;
  const at = first + EXPRESSIVE_CODE.length;
  return version.slice(0, at) + assets + version.slice(at);
}
