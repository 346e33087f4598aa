import type { ApiErrorDto } from '../../../contracts/api';
import { currentRoute, navigate } from '../routes';

/** An error answered by the API (or a failure to reach it), carrying the server's error body. */
export class ApiError extends Error {
  constructor(readonly body: ApiErrorDto) {
    super(body.message);
    this.name = 'ApiError';
  }

  get statusCode(): number {
    return this.body.statusCode;
  }

  /** The server's message for one field of a rejected request body, if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.body.fields?.find((entry) => entry.field === field)?.message;
  }
}

/** The message to show a user for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

type QueryValue = string | number | boolean | readonly string[] | null | undefined;
export type QueryParams = Record<string, QueryValue>;

interface RequestOptions {
  query?: QueryParams;
  /** JSON-encoded, or sent as multipart/form-data when it is a FormData (file uploads). */
  body?: unknown;
}

function buildUrl(path: string, query: QueryParams = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    // The API takes lists as `a,b`.
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (text) params.set(key, text);
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

function isApiErrorDto(value: unknown): value is ApiErrorDto {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorDto).message === 'string';
}

async function readError(response: Response): Promise<ApiErrorDto> {
  const body: unknown = await response.json().catch(() => null);
  if (isApiErrorDto(body)) return body;
  // Not an API answer (a proxy error page, a server that is not up yet): describe it ourselves.
  return {
    statusCode: response.status,
    error: response.statusText,
    message: response.status >= 500 ? 'The server is having trouble. Please try again.' : `Request failed (${response.status}).`,
    correlationId: response.headers.get('x-correlation-id') ?? '',
  };
}

function redirectToLogin(): void {
  const route = currentRoute();
  // The set-password page works without a session: its own errors say what is wrong with the link.
  if (route.page !== 'login' && route.page !== 'welcome') navigate({ page: 'login', returnTo: route }, { replace: true });
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      credentials: 'same-origin',
      // The browser sets the multipart boundary itself for FormData.
      headers: {
        Accept: 'application/json',
        ...(options.body === undefined || options.body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : options.body instanceof FormData ? options.body : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError({ statusCode: 0, error: 'Network Error', message: 'Cannot reach the server. Check your connection.', correlationId: '' });
  }
  if (!response.ok) {
    if (response.status === 401) redirectToLogin();
    throw new ApiError(await readError(response));
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams) => apiRequest<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};
