/**
 * Shipping: the Dockerfile, .dockerignore and docker-compose.yml (checked as files: no
 * Docker engine runs here), the build-once start (scripts/build-if-stale.mjs) and demo
 * mode's fixed simulator ports (src/main.ts started as a child process).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dockerignore from '@balena/dockerignore';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseApiKeys, sha256 } from '../src/auth.js';
import { ENV_KEYS, loadConfig } from '../src/config.js';
import { freePorts } from './helpers/ports.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// The package is CommonJS (module.exports = the factory) while its types declare `export default`.
const ignore = dockerignore as unknown as typeof dockerignore.default;
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
}

describe('docker-compose.yml', () => {
  // Merge keys (`<<: *image`) are YAML 1.1, which Docker Compose applies.
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const { gateway, simulators, redis } = compose.services as Record<'gateway' | 'simulators' | 'redis', Service>;

  it('runs the gateway, the simulators and Redis, publishing only the gateway and only on loopback', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'redis', 'simulators']);
    expect(gateway.environment!.HOST).toBe('0.0.0.0');
    expect(gateway.ports).toEqual(['127.0.0.1:4000:4000']);
    expect(simulators.ports).toBeUndefined();
    expect(redis.ports).toBeUndefined();
    expect(simulators.environment!.SIM_HOST).toBe('0.0.0.0');
    expect(redis.image).toMatch(/^redis:7-(bookworm|alpine)/);
  });

  it('builds the gateway and the simulators from the Dockerfile, the simulators running the compiled CLI', () => {
    for (const service of [gateway, simulators]) {
      expect(service.build?.context).toBe('.');
      expect(service.build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(service.image).toBe(gateway.image);
    }
    expect(gateway.command).toEqual(['node', 'dist/src/main.js']);
    expect(simulators.command).toEqual(['node', 'dist/src/simulators/cli.js']);
    // dist/src/simulators/cli.js is what tsconfig.build.json emits for src/simulators/cli.ts.
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const base = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(build.include).toContain('src');
    expect(base.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(readdirSync(path.join(root, 'src/simulators'))).toContain('cli.ts');
  });

  it('needs an API key, whose hash is the documented demo key', () => {
    const keys = parseApiKeys(gateway.environment!.API_KEYS!);
    expect(keys).toEqual([{ name: 'demo', scopes: ['read', 'write', 'admin'], sha256: sha256('channelgraph-demo-key') }]);
    expect(read('docker-compose.yml')).toContain('channelgraph-demo-key');
  });

  it('only sets variables the gateway and the simulators understand, and a complete, valid configuration', () => {
    const env = gateway.environment!;
    const known = new Set(ENV_KEYS.map((k) => k.env));
    for (const key of Object.keys(env)) expect(known.has(key) || key === 'NODE_ENV', key).toBe(true);
    const config = loadConfig(env);
    expect(Object.keys(config.vendors).sort()).toEqual(['cloudmore', 'ingram', 'leadercloud']);
    expect(config.server.redisUrl).toBe('redis://redis:6379');
    // The simulators' CLI reads its settings as env.SIM_*.
    const cliReads = new Set([...read('src/simulators/cli.ts').matchAll(/env\.(SIM_[A-Z_]+)/g)].map((m) => m[1]));
    for (const key of Object.keys(simulators.environment!)) expect(cliReads.has(key), key).toBe(true);
  });

  it('points the gateway at services and ports that exist in the file', () => {
    const env = gateway.environment!;
    const targets = [env.LEADERCLOUD_BASE_URL, env.CLOUDMORE_BASE_URL, env.INGRAM_BASE_URL, env.REDIS_URL].map((u) => new URL(u!));
    for (const target of targets) {
      const service = compose.services[target.hostname];
      expect(service, target.href).toBeDefined();
      expect(service!.expose, target.href).toContain(target.port);
    }
    expect(targets.map((t) => t.hostname)).toEqual(['simulators', 'simulators', 'simulators', 'redis']);
  });

  it('has a healthcheck on every service, and starts the gateway once the simulators and Redis are healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test?.[0], name).toBe('CMD');
      expect(service.healthcheck!.test.length, name).toBeGreaterThan(1);
    }
    expect(gateway.healthcheck!.test.join(' ')).toContain('/healthz');
    expect(redis.healthcheck!.test.slice(1)).toEqual(['redis-cli', 'ping']);
    // The simulators' check asks each of the three ports it exposes.
    for (const port of simulators.expose!) expect(simulators.healthcheck!.test.join(' ')).toContain(port);
    expect(gateway.depends_on).toEqual({ simulators: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });
});

describe('Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(read('Dockerfile'));
  const froms = dockerfile.getFROMs();
  const stage = (index: number): Instruction[] => {
    const start = froms[index]!.getRange().start.line;
    const end = froms[index + 1]?.getRange().start.line ?? Infinity;
    return dockerfile.getInstructions().filter((i) => i.getRange().start.line >= start && i.getRange().start.line < end);
  };
  const runtime = stage(froms.length - 1);
  const of = (instructions: Instruction[], keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);
  const text = (i: Instruction) => i.getArgumentsContent() ?? '';
  /** COPY instructions as their --from stage (if any), sources and destination. */
  const copies = (instructions: Instruction[]) =>
    of(instructions, 'COPY').map((i) => {
      const args = i.getArguments().map((a) => a.getValue());
      return { from: (i as Copy).getFlags().find((f) => f.getName() === 'from')?.getValue() ?? undefined, sources: args.slice(0, -1), to: args.at(-1) };
    });

  it('is multi-stage on the current Node LTS: a build stage, and a runtime stage with production dependencies only', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(`${from.getImageName()}:${from.getImageTag()}`).toBe('node:24-bookworm-slim');
    const buildStage = froms[0]!.getBuildStage();
    expect(buildStage).toBeTruthy();
    expect(of(stage(0), 'RUN').map(text).join('\n')).toMatch(/npm run build/);
    const installs = of(runtime, 'RUN').map(text).filter((t) => /\bnpm (ci|install)\b/.test(t));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/npm ci\b.*--omit=dev/);
    expect(installs[0]).toContain('--ignore-scripts');
    // The runtime stage takes the compiled dist/ from the build stage and the SDL; no sources, no `COPY . .`.
    const runtimeCopies = copies(runtime);
    expect(runtimeCopies).toContainEqual({ from: buildStage, sources: ['/app/dist'], to: './dist' });
    expect(runtimeCopies).toContainEqual({ from: undefined, sources: ['schema'], to: './schema' });
    expect(runtimeCopies.flatMap((c) => c.sources).sort()).toEqual(['/app/dist', 'package-lock.json', 'package.json', 'schema']);
    for (const copy of copies(dockerfile.getInstructions())) expect(copy.sources).not.toContain('.');
  });

  it('runs as the non-root user node, in production mode on all interfaces, with a /healthz HEALTHCHECK', () => {
    const users = of(runtime, 'USER').map(text);
    expect(users.at(-1)).toBe('node');
    const env = Object.fromEntries(
      of(runtime, 'ENV').flatMap((i) => (i as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties().map((p) => [p.getName(), p.getValue()])),
    );
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    const checks = of(runtime, 'HEALTHCHECK').map(text);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/healthz/);
    expect(of(runtime, 'CMD').map(text).at(-1)).toBe('["node", "dist/src/main.js"]');
  });

  it('has a .dockerignore that keeps secrets, installed and built trees out, and everything the Dockerfile copies in', () => {
    const ig = ignore().add(read('.dockerignore'));
    for (const excluded of ['node_modules/got/package.json', 'node_modules', '.env', '.env.local', 'src/.env', 'dist/src/main.js', '.git/HEAD', 'coverage/index.html', 'npm-debug.log', 'bench/results/run.json'])
      expect(ig.ignores(excluded), excluded).toBe(true);
    const copied = copies(dockerfile.getInstructions())
      .filter((c) => !c.from)
      .flatMap((c) => c.sources);
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'schema']));
    for (const source of copied) {
      expect(ig.ignores(source), source).toBe(false);
      expect(existsSync(path.join(root, source)), `${source} exists`).toBe(true);
    }
    for (const inside of ['src/main.ts', 'src/simulators/cli.ts', 'schema/base.graphql', 'scripts/build-if-stale.mjs']) expect(ig.ignores(inside), inside).toBe(false);
  });

  it('needs nothing at run time that `npm ci --omit=dev` leaves out: every package the entry points load is a dependency', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    const seen = new Set<string>();
    // What `node dist/src/main.js` and `node dist/src/simulators/cli.js` load: static value
    // imports, followed through the project's own modules (dynamic imports are optional
    // paths, e.g. bundling the page assets in development, and are left out).
    const visitFile = (rel: string) => {
      if (seen.has(rel)) return;
      seen.add(rel);
      const source = ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, false);
      for (const node of source.statements) {
        let spec: string | undefined;
        if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
          const bindings = node.importClause?.namedBindings;
          const onlyTypes = !node.importClause?.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
          if (!onlyTypes) spec = (node.moduleSpecifier as ts.StringLiteral).text;
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) spec = (node.moduleSpecifier as ts.StringLiteral).text;
        if (!spec || spec.startsWith('node:') || builtins.has(spec)) continue;
        if (spec.startsWith('.')) {
          const target = path.join(path.dirname(rel), spec.replace(/\.js$/, '.ts'));
          if (existsSync(path.join(root, target))) visitFile(target);
          continue;
        }
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!pkg.dependencies[name]) missing.push(`${rel}: ${name}`);
      }
    };
    visitFile('src/main.ts');
    visitFile('src/simulators/cli.ts');
    expect(seen.size).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});

describe('npm start builds once (scripts/build-if-stale.mjs)', () => {
  const script = path.join(root, 'scripts/build-if-stale.mjs');
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A tiny project laid out like this one: src/, schema/, tsconfig.json, tsconfig.build.json. */
  function project(withTypescript: boolean): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-build-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'schema'));
    writeFileSync(path.join(dir, 'package.json'), '{"name":"tiny","type":"module","private":true}\n');
    writeFileSync(path.join(dir, 'src/main.ts'), 'export const answer: number = 1;\n');
    writeFileSync(path.join(dir, 'schema/base.graphql'), 'type Query { a: Int }\n');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', target: 'ES2022', outDir: 'dist', rootDir: '.', types: [], strict: true }, include: ['src'] }));
    writeFileSync(path.join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
    if (withTypescript) {
      mkdirSync(path.join(dir, 'node_modules'));
      symlinkSync(path.join(root, 'node_modules/typescript'), path.join(dir, 'node_modules/typescript'), 'dir');
    }
    return dir;
  }
  const run = (dir: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  /** Marks a path modified now: after the last build started (a build takes far more than a millisecond). */
  const touch = (file: string) => utimesSync(file, new Date(), new Date());

  it('builds when there is no build, then not again until a source changes', () => {
    const dir = project(true);
    const first = run(dir);
    expect(first.status, first.out).toBe(0);
    expect(first.out).toContain('no build yet');
    expect(first.out).toContain('running tsc -p tsconfig.build.json');
    expect(readFileSync(path.join(dir, 'dist/src/main.js'), 'utf8')).toContain('answer = 1');

    const built = statSync(path.join(dir, 'dist/src/main.js')).mtimeMs;
    const second = run(dir);
    expect(second.status, second.out).toBe(0);
    expect(second.out).toContain('up to date');
    expect(second.out).not.toContain('running tsc');
    expect(statSync(path.join(dir, 'dist/src/main.js')).mtimeMs).toBe(built); // nothing was emitted

    writeFileSync(path.join(dir, 'src/main.ts'), 'export const answer: number = 2;\n');
    touch(path.join(dir, 'src/main.ts'));
    const third = run(dir);
    expect(third.out).toContain(`${path.join('src', 'main.ts')} changed since the last build`);
    expect(third.out).toContain('running tsc');
    expect(readFileSync(path.join(dir, 'dist/src/main.js'), 'utf8')).toContain('answer = 2');
    expect(run(dir).out).not.toContain('running tsc');
  });

  it('sees a schema/ or tsconfig change and a removed file, and builds again after a failed build', () => {
    const dir = project(true);
    expect(run(dir).out).toContain('running tsc');
    touch(path.join(dir, 'schema/base.graphql'));
    touch(path.join(dir, 'tsconfig.build.json'));
    const check = run(dir, '--check');
    expect(check.status).toBe(1);
    expect(check.out).toContain(`${path.join('schema', 'base.graphql')}, tsconfig.build.json changed since the last build`);
    expect(check.out).not.toContain('running tsc');
    writeFileSync(path.join(dir, 'src/extra.ts'), 'export const b = 1;\n');
    expect(run(dir).out).toContain('running tsc');
    expect(run(dir, '--check').status).toBe(0);
    unlinkSync(path.join(dir, 'src/extra.ts'));
    utimesSync(path.join(dir, 'src'), new Date(0), new Date(0)); // even when the folder's own mtime says nothing
    expect(run(dir, '--check').out).toContain('1 source file(s) added or removed');
    // A build that fails leaves no stamp: the next start tries again.
    writeFileSync(path.join(dir, 'src/main.ts'), 'export const answer: number = "not a number";\n');
    const failed = run(dir);
    expect(failed.status).not.toBe(0);
    expect(failed.out).toContain('tsc failed');
    expect(run(dir, '--check').out).toContain('no build yet');
  });

  it('--force always builds; without TypeScript a production install skips, a start that needs a build fails', () => {
    const dir = project(true);
    expect(run(dir).out).toContain('running tsc');
    expect(run(dir, '--force').out).toContain('running tsc');
    const bare = project(false);
    const install = run(bare, '--install');
    expect(install.status).toBe(0);
    expect(install.out).toContain('TypeScript is not installed');
    const start = run(bare);
    expect(start.status).toBe(1);
    expect(start.out).toContain('run npm install');
  });
});


describe('demo mode: fixed simulator ports', () => {
  it('reads SIM_HOST and SIM_*_PORT, and refuses a bad port by its name', () => {
    const config = loadConfig({ SIM_HOST: '0.0.0.0', SIM_LEADERCLOUD_PORT: '5101', SIM_CLOUDMORE_PORT: '5102', SIM_INGRAM_PORT: '0' });
    expect(config.server).toMatchObject({ simulatorHost: '0.0.0.0', simulatorLeadercloudPort: 5101, simulatorCloudmorePort: 5102, simulatorIngramPort: 0 });
    expect(loadConfig({}).server.simulatorHost).toBe('127.0.0.1');
    expect(loadConfig({}).server.simulatorLeadercloudPort).toBeUndefined(); // a free port
    expect(() => loadConfig({ SIM_INGRAM_PORT: '70000' })).toThrow(/SIM_INGRAM_PORT/);
  });

  it('npm start with no credentials serves the simulators on the ports it was given', async () => {
    const [graph, lc, cm, im] = await freePorts(4);
    const cwd = mkdtempSync(path.join(tmpdir(), 'cg-demo-')); // no .env here
    const tsx = path.join(root, 'node_modules/tsx/dist/loader.mjs');
    // The child ends by itself after 60 s whatever happens to this test.
    const lifetime = 'data:text/javascript,setTimeout(()=>process.exit(3),60000).unref()';
    const child = spawn(process.execPath, ['--import', tsx, '--import', lifetime, path.join(root, 'src/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(graph), HOST: '127.0.0.1', SIM_HOST: '127.0.0.1', SIM_SIZE: '5', SIM_LEADERCLOUD_PORT: String(lc), SIM_CLOUDMORE_PORT: String(cm), SIM_INGRAM_PORT: String(im), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      for (let i = 0; i < 900 && !printed.includes('channelgraph serving') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      expect(printed).toContain('channelgraph serving');
      expect(printed).toMatch(new RegExp(`leadercloud http://127\\.0\\.0\\.1:${lc}\\b`));
      expect(printed).toMatch(new RegExp(`cloudmore http://127\\.0\\.0\\.1:${cm}\\b`));
      expect(printed).toMatch(new RegExp(`ingram http://127\\.0\\.0\\.1:${im}\\b`));
      for (const port of [lc, cm, im]) expect((await fetch(`http://127.0.0.1:${port}/__sim/stats`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${graph}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ vendors { vendor simulated health { ok } } }' }),
      });
      const body = (await res.json()) as { data: { vendors: Array<{ vendor: string; simulated: boolean; health: { ok: boolean } }> } };
      expect(body.data.vendors.map((v) => [v.vendor, v.simulated, v.health.ok]).sort()).toEqual([
        ['CLOUDMORE', true, true],
        ['INGRAM', true, true],
        ['LEADERCLOUD', true, true],
      ]);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
