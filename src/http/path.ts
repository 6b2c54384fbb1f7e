/**
 * Checks the path of a generic vendor request (`vendorRequest`) before anything is sent:
 * it must stay under the vendor's API root. Absolute URLs, scheme or host changes, `..`
 * segments (also percent-encoded, double-encoded or written with backslashes), control
 * characters (CR/LF injection), query strings or fragments inside the path, and the
 * vendor's token endpoints or the simulators' control API are refused.
 */
import { badUserInput } from '../errors.js';

const MAX_PATH = 2_000;
/** Decoding rounds: enough to unwrap double (and triple) percent-encoding. */
const DECODE_ROUNDS = 4;

function refuse(reason: string): never {
  throw badUserInput(`Invalid path: ${reason}.`, { argument: 'path', reason });
}

/** Every form of the path a server might see: as given, then each round of percent-decoding. */
function decodings(path: string): string[] {
  const forms = [path];
  let current = path;
  for (let i = 0; i < DECODE_ROUNDS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      refuse('it has a malformed percent-escape');
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * Returns the path relative to the vendor's API root (no leading slash), or throws
 * BAD_USER_INPUT. `forbidden` lists path prefixes (lower case, no leading slash) that the
 * generic request may not reach, such as the token endpoint.
 */
export function checkVendorPath(path: string, forbidden: readonly string[] = []): string {
  if (typeof path !== 'string' || path.trim() === '') refuse('it is empty');
  if (path.length > MAX_PATH) refuse(`it is longer than ${MAX_PATH} characters`);
  // The path is sent without its leading slashes: check that form too ("/http://host" is "http://host").
  const relative = path.replace(/^\/+/, '');
  for (const form of [...decodings(path), ...decodings(relative)]) {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(form)) refuse('it contains control characters');
    if (form.includes('\\')) refuse('it contains a backslash');
    if (/^\s*[a-z][a-z0-9+.-]*:/i.test(form) || form.trimStart().startsWith('//')) refuse('it must be relative to the vendor API root, not a URL');
    if (/[?#]/.test(form)) refuse('put query parameters in `query`, not in the path');
    if (form.split('/').some((segment) => segment.trim() === '..' || segment.trim() === '.')) refuse('it contains a "." or ".." segment');
    const normal = form.replace(/^\/+/, '').replace(/\/{2,}/g, '/').toLowerCase();
    if (normal === '__sim' || normal.startsWith('__sim/')) refuse('it names the simulator control API');
    for (const prefix of forbidden) {
      if (normal === prefix || normal.startsWith(`${prefix}/`)) refuse('it names the vendor token endpoint, which the graph calls itself');
    }
  }
  return relative;
}

/** Query parameters of a generic request: a flat JSON object of scalars (or arrays of scalars). */
export function checkVendorQuery(query: unknown): Record<string, string | string[]> {
  if (query === null || query === undefined) return {};
  if (typeof query !== 'object' || Array.isArray(query)) throw badUserInput('Invalid query: it must be a JSON object of parameter names to values.', { argument: 'query' });
  const out: Record<string, string | string[]> = {};
  const scalar = (name: string, v: unknown): string => {
    if (v === null || !['string', 'number', 'boolean'].includes(typeof v)) {
      throw badUserInput(`Invalid query: parameter "${name}" must be a string, number or boolean.`, { argument: 'query' });
    }
    const text = String(v);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(text)) throw badUserInput(`Invalid query: parameter "${name}" contains control characters.`, { argument: 'query' });
    return text;
  };
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (name === '' || /[\u0000-\u001f\u007f]/.test(name)) throw badUserInput('Invalid query: a parameter name is empty or has control characters.', { argument: 'query' });
    out[name] = Array.isArray(value) ? value.map((v) => scalar(name, v)) : scalar(name, value);
  }
  return out;
}
