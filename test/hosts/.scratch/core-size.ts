import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
for (const contents of ["export { serve } from '@astro-segments/edge';", "export { decide, readSignals } from '@astro-segments/edge';"]) {
  const r = await build({ stdin: { contents, resolveDir: '/work/main/packages/astro-segments/src/hosts/entries', loader: 'ts' }, bundle: true, format: 'esm', minify: true, platform: 'neutral', write: false, target: 'es2022' });
  const code = r.outputFiles[0].text; console.log(contents, code.length, gzipSync(code, { level: 9 }).length);
}
