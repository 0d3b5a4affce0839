/**
 * What the docs personalize: the reader's host and package manager. Values have
 * no rules on purpose: nothing about the reader is inferred. A reader chooses
 * (`?segment=host:vercel`), the router remembers that choice in its one cookie,
 * and every other reader gets `all`, the full menu.
 *
 * Labels finish the notice's sentence "You are seeing the version of this page
 * for …", so they are written as who the version is for.
 */
export const dimensions = {
  host: {
    default: 'all',
    values: {
      netlify: { label: 'readers deploying to Netlify' },
      vercel: { label: 'readers deploying to Vercel' },
      cloudflare: { label: 'readers deploying to Cloudflare' },
      node: { label: 'readers serving with Node' },
      all: { label: 'every host' },
    },
  },
  pm: {
    default: 'all',
    values: {
      npm: { label: 'npm users' },
      pnpm: { label: 'pnpm users' },
      yarn: { label: 'Yarn users' },
      bun: { label: 'Bun users' },
      all: { label: 'every package manager' },
    },
  },
} as const;

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
