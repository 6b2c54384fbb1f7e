/**
 * Does this vendor customer look like that organisation (or that other vendor's customer)?
 * By external id, registrable e-mail/web domain (tldts: mail.acme.com.au and acme.com.au
 * are one domain, acme.co.uk is not acme.uk) and normalised name. Each reason has a
 * weight; the score is 1 - Π(1 - weight), so two weak reasons beat one.
 */
import { getDomain } from 'tldts';

export type MatchReason = 'EXTERNAL_ID' | 'EMAIL_DOMAIN' | 'NAME' | 'SIMILAR_NAME' | 'MAPPING';

export const WEIGHT: Record<Exclude<MatchReason, 'SIMILAR_NAME'>, number> = { EXTERNAL_ID: 0.9, MAPPING: 0.9, EMAIL_DOMAIN: 0.7, NAME: 0.6 };
/** SIMILAR_NAME weighs up to this, times the names' token overlap. */
const SIMILAR_MAX = 0.4;
const SIMILAR_MIN_OVERLAP = 0.5;

/** Legal forms and filler words that say nothing about which company it is. */
const NOISE = new Set([
  'pty', 'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'plc', 'gmbh', 'mbh', 'ag', 'kg', 'se',
  'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'as', 'asa', 'oy', 'oyj', 'aps', 'kk', 'pte', 'pvt', 'the', 'and', 'group', 'holdings', 'holding',
]);

/** Mailbox providers: a shared domain says nothing. */
const FREE_MAIL = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'web.de', 'mail.com', 'yandex.com', 'zoho.com', 'bigpond.com']);

/** Lower case, accents removed, & → and, punctuation → space, legal forms dropped. */
export function normalizeName(name: string | null | undefined): string {
  if (!name) return '';
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((t) => t && !NOISE.has(t))
    .join(' ');
}

/** The registrable domain of an e-mail address, a URL or a bare domain; null for free-mail and junk. */
export function domainOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const host = value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value;
  const domain = getDomain(host.trim().toLowerCase());
  return domain && !FREE_MAIL.has(domain) ? domain : null;
}

export const normalizeExternalId = (id: string | null | undefined): string => (id ?? '').trim().toLowerCase();

/** Token overlap of two normalised names (Jaccard), 0 to 1. */
function overlap(a: string, b: string): number {
  const x = new Set(a.split(' ').filter(Boolean));
  const y = new Set(b.split(' ').filter(Boolean));
  if (!x.size || !y.size) return 0;
  let both = 0;
  for (const t of x) if (y.has(t)) both++;
  return both / (x.size + y.size - both);
}

/** What a record offers to matching, normalised once. */
export interface Profile {
  name: string;
  domains: Set<string>;
  externalId: string;
}

export function profile(input: { name?: string | null; externalId?: string | null; emails?: Array<string | null | undefined>; domains?: Array<string | null | undefined> }): Profile {
  const domains = new Set<string>();
  for (const d of [...(input.emails ?? []), ...(input.domains ?? [])]) {
    const domain = domainOf(d);
    if (domain) domains.add(domain);
  }
  return { name: normalizeName(input.name), domains, externalId: normalizeExternalId(input.externalId) };
}

export interface Match {
  score: number;
  reasons: MatchReason[];
  /** Each reason with its weight. */
  weights: Array<[MatchReason, number]>;
}

/** The reasons two profiles are the same company, and the score; null when none. */
export function match(a: Profile, b: Profile): Match | null {
  const weights: Array<[MatchReason, number]> = [];
  if (a.externalId && a.externalId === b.externalId) weights.push(['EXTERNAL_ID', WEIGHT.EXTERNAL_ID]);
  if ([...a.domains].some((d) => b.domains.has(d))) weights.push(['EMAIL_DOMAIN', WEIGHT.EMAIL_DOMAIN]);
  if (a.name && a.name === b.name) weights.push(['NAME', WEIGHT.NAME]);
  else if (a.name && b.name) {
    const o = overlap(a.name, b.name);
    if (o >= SIMILAR_MIN_OVERLAP) weights.push(['SIMILAR_NAME', SIMILAR_MAX * o]);
  }
  return combine(weights);
}

export function combine(weights: Array<[MatchReason, number]>): Match | null {
  if (!weights.length) return null;
  const score = 1 - weights.reduce((rest, [, w]) => rest * (1 - w), 1);
  return { score: Math.round(score * 1000) / 1000, reasons: weights.map(([r]) => r), weights };
}
