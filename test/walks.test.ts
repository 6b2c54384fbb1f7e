/**
 * The operation walks (query cost, Cache-Control policy) stay linear in the document on
 * hostile shapes: fragments that each spread the next twice would be 2^depth paths walked
 * naively. Run in a child process with a deadline, a walk that regressed fails this test
 * instead of hanging the suite (the deadline is a hang guard, minutes away from the
 * milliseconds these take, not a speed target).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('./helpers/walk-worker.ts', import.meta.url));
const DEADLINE_MS = 20_000;

function walk(query: string): Promise<{ cost: number | string; maxAge: number | null; fields: string[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [query], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the walks did not finish within ${DEADLINE_MS} ms: exponential in the fragments?`));
    }, DEADLINE_MS);
    child.once('message', (message) => {
      clearTimeout(timer);
      child.kill();
      resolve(message as { cost: number | string; maxAge: number | null; fields: string[] });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the walk process exited (${code}) without an answer: ${stderr}`));
    });
  });
}

/** `depth` fragments, each spreading the next twice, the last selecting a customer's name and subscriptions. */
function bomb(depth: number): string {
  let fragments = '';
  for (let i = 1; i < depth; i++) fragments += ` fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`;
  return `{ customers(first: 1) { nodes { ...F1 } } }${fragments} fragment F${depth} on Customer { name subscriptions(first: 1) { nodes { id name } } }`;
}

describe('operation walks on hostile documents', () => {
  it('walk a fragment bomb 60 deep once per fragment: refused by cost, the policy that of its fields', async () => {
    const result = await walk(bomb(60));
    expect(result.cost).toBe('cost');
    // Customers and subscriptions carry maxAge hints; the walk reached the innermost fragment.
    expect(result.maxAge).toBeGreaterThan(0);
    expect(result.fields).toEqual(['customers', 'id', 'name', 'nodes', 'subscriptions']);
  }, DEADLINE_MS + 10_000);

  it('price the same shape 10 deep at its 512 paths, as execution would resolve them', async () => {
    const result = await walk(bomb(10));
    expect(typeof result.cost).toBe('number');
    expect(result.cost as number).toBeGreaterThanOrEqual(512);
  }, DEADLINE_MS + 10_000);
});
