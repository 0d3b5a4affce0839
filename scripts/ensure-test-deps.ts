/**
 * Tools the tests need from Debian, never from a download: Chromium for the
 * browser tests (driven through playwright-core) and nginx for the shared-cache
 * test (test/adversarial/cache.test.ts). Install whatever is missing when we
 * may (root or sudo), in one apt-get run; otherwise say exactly what to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = [
  { what: 'the browser tests', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', env: 'CHROMIUM_PATH', debian: 'chromium' },
  { what: 'the shared-cache test', path: process.env.NGINX_PATH ?? '/usr/sbin/nginx', env: 'NGINX_PATH', debian: 'nginx' },
];

const missing = TOOLS.filter((tool) => !existsSync(tool.path));

if (missing.length > 0) {
  const packages = missing.map((tool) => tool.debian);
  const root = process.getuid?.() === 0;
  const sudo = !root && hasCommand('sudo');
  if (!root && !sudo) {
    for (const tool of missing) {
      process.stderr.write(
        `${tool.what[0]!.toUpperCase()}${tool.what.slice(1)} need ${tool.debian} at ${tool.path}. Set ${tool.env}, or install Debian's package:\n`,
      );
    }
    process.stderr.write(`  apt-get install ${packages.join(' ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`Installing ${packages.join(' and ')} from Debian for ${missing.map((tool) => tool.what).join(' and ')}...\n`);
  const run = (args: string[]) =>
    execFileSync(root ? args[0]! : 'sudo', root ? args.slice(1) : args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
