/**
 * What the options reference says beyond the schema's own JSDoc: how an
 * option behaves, checked against the code that reads it. Keyed by field path
 * (`*` for a name you choose); the generator fails when a key names no field
 * of the schema, so a renamed option cannot leave a stale note behind.
 */
export const OPTION_NOTES: Readonly<Record<string, string>> = {
  dimensions: `Declare at least one dimension, each with at least two values. A page varies only on the dimensions its own \`segments.dimensions\` lists ([frontmatter](/reference/frontmatter/)), so a dimension costs nothing on the pages that do not use it.`,

  'dimensions.*.default': `The default is the full menu: what crawlers, visitors with Global Privacy Control or Do Not Track (unless they chose), \`?segment=reset\` and every failure get. It is the version at the public URL, the one search engines and shared caches see.`,

  'dimensions.*.values': `Order matters: the router tries the values' rules in the order you write them, and the first value with a matching rule wins. A value without \`when\` is picked only by a visitor's own choice, or as the default.`,

  'dimensions.*.values.*.when': `Every signal in one rule must match; in a list, any one rule may match. The signals are listed under [Rule](#rule). \`when: {}\` is refused, since it would match every request.`,

  'dimensions.*.values.*.label': `Defaults to the value's name. \`<SegmentNotice>\` reads it in a sentence, so write it as who the version is for:

\`\`\`js
customer: { when: { cookie: 'session' }, label: 'Ledgerly customers', relationship: true },
\`\`\`

gives the notice *"You are seeing the version of this page for Ledgerly customers, because you are logged in, or because you chose it."* with the accessible name *"Version of this page: Ledgerly customers"*. The reason after the label comes from the value's rules, and always ends with "or because you chose it" (a page cannot know statically which reason applied); \`<SegmentNotice because={{ 'audience=customer': 'because you have a Ledgerly account' }}>\` replaces it ([components](/reference/components/#segmentnotice)). Labels also name the values in the Dev Toolbar app and the build report. They are build data: no label is ever read from or written into a request.`,

  'dimensions.*.values.*.relationship': `Such visitors are recognized by a cookie the site itself sets at login. The flag changes no decision; it changes what the build says:

- \`<SegmentNotice>\` explains a \`cookie\` rule as *"because you are logged in"* instead of *"because your browser has this site's “session” cookie"*.
- The lint \`cookie-without-relationship\` warns about a \`cookie\` rule on a value without \`relationship: true\`: recognizing someone implies a relationship, and strangers should get coarse signals only.
- The lint \`relationship-by-inference\` warns about a \`relationship: true\` value that only coarse signals (a link's utm tags, the referrer, the country, the language) can pick: anyone with the same link would get the members' version.`,

  'dimensions.*.values.*.when.utm_source': `The \`utm_*\` signals read the first occurrence of each query parameter, lowercased; a value longer than 128 characters counts as absent.`,

  'dimensions.*.values.*.when.referrer': `The host name of the \`Referer\` header, lowercased, without its port; the path is never read. \`suffix\` is a plain string suffix: \`{ suffix: 'producthunt.com' }\` also matches \`evilproducthunt.com\`. To match a site and its \`www\` host exactly, list them: \`['producthunt.com', 'www.producthunt.com']\`.`,

  'dimensions.*.values.*.when.country': `Only ever from the host platform's own geo data: Netlify's \`context.geo\`, Cloudflare's \`request.cf.country\`, and on Vercel the \`x-vercel-ip-country\` header Vercel's proxy sets and overwrites. The Node server takes it only from the \`country(request)\` function you pass it; \`astro dev\` from \`?segment-country=DE\`. A header a client sends never sets it.`,

  'dimensions.*.values.*.when.continent': `Compiled at build into the list of its countries, so the router needs only the country every host reports. \`EU\` is Europe the continent, not the European Union: it includes the United Kingdom, Switzerland, Norway, Ukraine and Russia. For prices or legal texts of the European Union, use \`countrySet: 'eu'\`.`,

  'dimensions.*.values.*.when.countrySet': `Compiled at build into the list of its countries, like \`continent\`. One rule uses one of \`country\`, \`continent\` and \`countrySet\` (each stands for a list of countries); for several, write several rules.`,

  'dimensions.*.values.*.when.language': `Read from \`Accept-Language\`: the primary subtag (\`de\` from \`de-CH\`) of the entry with the highest weight, the first one on ties; \`*\`, \`q=0\` and malformed entries are skipped, and at most 16 entries are read.`,

  'dimensions.*.values.*.when.cookie': `The rule asks only whether the cookie is present, in the first 16 KiB of the \`Cookie\` header; its value is never used. Use a cookie your site already sets when someone logs in, and mark the value \`relationship: true\`.`,

  'dimensions.*.values.*.when.from': `A date without a time is midnight UTC. The router compares the request's own time, so a window opens and closes without a rebuild. On its own, a window is the reason ("a seasonal version"); next to other signals in one rule, it limits when they count.`,

  'budget.perPage': `Combinations that render the same HTML share one file, and combinations that render like the default get none, so the budget counts distinct files, not combinations. Whatever the budget, a page with more than 4,096 combinations fails before any is rendered.`,

  param: `\`?segment=customer\` works when only one dimension has a value named \`customer\`; \`?segment=audience:customer\` always does; several items are comma-separated (\`?segment=host:vercel,pm:pnpm\`). \`?segment=reset\` clears the cookie and serves the standard version. Unknown names, items with any non-ASCII character (look-alikes such as the Kelvin sign), values longer than 64 characters and more than 8 occurrences of the parameter are ignored, and the request is decided as if they were absent.`,

  previewParam: `The same item syntax as \`param\`, for this response only: nothing is stored, and the next page is decided as before.`,

  'cookie.name': `Over HTTPS the router names it \`__Host-<name>\` and adds \`Secure\`; always \`Path=/; HttpOnly; SameSite=Lax\`. Its value holds only declared names, \`dimension:value\` pairs joined by \`|\` (\`segment=host:vercel|pm:pnpm\`). Crawlers never get it.`,

  'cookie.maxAgeDays': `Set only on the response to an explicit choice (or a reset, which sets \`Max-Age=0\`); later visits never renew it.`,

  holdout: `How to read the result: [Measure lift with a holdout](/guides/measure/).`,

  'holdout.cookie': `It must differ from the choice cookie's name and from \`consentCookie\`; the build refuses otherwise.`,

  prefix: `Variant files are served from \`<base>/<prefix>/<hash>.html\`, each with \`<link rel="canonical">\` to its public URL and \`<meta name="robots" content="noindex">\`. The build replaces this folder on every build, so it refuses a prefix that names a folder your site already has (\`docs\`, \`_astro\`).`,

  debug: `\`X-Segments: audience=customer (rule 1); region=intl (default)\` names each dimension's value and why: \`preview\`, \`choice\`, \`cookie\`, \`reset\`, \`bot\`, \`gpc\`, \`dnt\`, \`holdout\`, \`rule N\` or \`default\`. It is built only from declared names and these words, never from request data. \`astro dev\` sends it whatever this option says.`,

  hosts: `Each host output is a few generated lines around the tested router, bundled into one file: see [Deploy](/guides/deploy/). With \`'auto'\` and no such adapter nothing is written, which is right for the Node server ([\`astro-segments-serve\`](/reference/cli/)).`,

  report: `Every build also logs a summary. See [Report and lints](/guides/report-and-lints/).`,

  lints: `The checks are \`dead-variant\`, \`unused-value\`, \`shadowed-rule\`, \`over-personalization\`, \`sensitive-name\`, \`cookie-without-relationship\` and \`relationship-by-inference\`: [Report and lints](/guides/report-and-lints/).`,
};
