import { i18next } from '../i18n/i18n.js';

/**
 * The one way the web talks to the server: same-origin fetch with the session cookie,
 * the CSRF header the server requires on every non-GET, and errors turned into ApiError
 * whose text comes from the message files by code, never from the server's English.
 */

export const API_BASE = '/api/v1';
const CSRF_HEADER = 'X-Qingling-Request';

export interface ApiIssue {
  path: string;
  message: string;
}

/** One row of a rejected Excel import (422 import.invalid). */
export interface ImportError {
  /** null for a problem with the whole file (not an .xlsx, a sheet missing) */
  sheet: string | null;
  row: number | null;
  column: { header: string; letter: string } | null;
  code: string;
  message_zh: string;
  message_en: string;
  value: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly issues: ApiIssue[] = [],
    readonly importErrors: ImportError[] = [],
  ) {
    super(`${status} ${code}: ${serverMessage}`);
    this.name = 'ApiError';
  }
}

/** The text to show for an error, in the current language. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18next.exists(key)) return i18next.t(key);
    return i18next.t('errors.unknown', { code: error.code });
  }
  if (error instanceof TypeError) return i18next.t('errors.network');
  return i18next.t('errors.unknown', { code: String(error) });
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | null | undefined>;
  /** A JSON body, or FormData for uploads. */
  body?: unknown;
  /** Let a 401 reach the caller (login, whoami) instead of sending the browser to /login. */
  allowUnauthorized?: boolean;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function goToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}

async function toApiError(res: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await res.json();
  } catch {
    payload = undefined;
  }
  const err = (payload as { error?: Record<string, unknown> } | undefined)?.error;
  if (!err || typeof err.code !== 'string') {
    return new ApiError(res.status, res.status >= 500 ? 'internal' : `http_${res.status}`, res.statusText);
  }
  return new ApiError(
    res.status,
    err.code,
    typeof err.message === 'string' ? err.message : '',
    Array.isArray(err.issues) ? (err.issues as ApiIssue[]) : [],
    Array.isArray(err.errors) ? (err.errors as ImportError[]) : [],
  );
}

export async function apiFetch(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  if (res.ok) return res;
  if (res.status === 401 && !opts.allowUnauthorized) goToLogin();
  throw await toApiError(res);
}

/** A JSON request; 204 answers resolve to undefined. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Fetches a file (template, export) and hands it to the browser as a download. */
export async function download(path: string, query: RequestOptions['query'], fallbackName: string): Promise<void> {
  const res = await apiFetch(path, { query });
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
