/**
 * What the docs personalize: the reader's host and package manager. Values have
 * no rules on purpose: nothing about the reader is inferred. A reader chooses
 * (`?segment=host:vercel`), the router remembers that choice in its one cookie,
 * and every other reader gets `all`, the full menu.
 */

/** The choosable values, in the order choosers list them, with their names as readers know them. */
export const HOSTS = [
  ['netlify', 'Netlify'],
  ['vercel', 'Vercel'],
  ['cloudflare', 'Cloudflare'],
  ['node', 'Node'],
] as const;

export const PACKAGE_MANAGERS = [
  ['npm', 'npm'],
  ['pnpm', 'pnpm'],
  ['yarn', 'Yarn'],
  ['bun', 'Bun'],
] as const;

/**
 * A dimension whose values are picked only by choice, plus `all`, the default.
 * Labels finish the notice's sentence "You are seeing the version of this page
 * for …", so they say who the version is for.
 */
function chosenOnly(choices: readonly (readonly [string, string])[], labelOf: (name: string) => string, allLabel: string) {
  const values: Record<string, { label: string }> = {};
  for (const [value, name] of choices) values[value] = { label: labelOf(name) };
  values.all = { label: allLabel };
  return { default: 'all', values };
}

export const dimensions = {
  host: chosenOnly(HOSTS, (name) => (name === 'Node' ? 'readers serving with Node' : `readers deploying to ${name}`), 'every host'),
  pm: chosenOnly(PACKAGE_MANAGERS, (name) => `${name} users`, 'every package manager'),
};
