import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api/client.js';
import type { SessionAnswer, SessionUser } from '../api/types.js';
import { setCampusUtcOffset } from '../time/campus-time.js';

export const SESSION_KEY = ['session'] as const;

/** Who is signed in: null when nobody is (the server answered 401). */
export async function fetchSession(): Promise<SessionUser | null> {
  try {
    return signedIn(await api<SessionAnswer>('/auth/me', { allowUnauthorized: true }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** The user of a session answer; its campus clock becomes the one times are shown in. */
export function signedIn(answer: SessionAnswer): SessionUser {
  setCampusUtcOffset(answer.campus.utcOffsetMinutes);
  return answer.user;
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

/** The signed-in user; only call below RequireSession, which guarantees there is one. */
export function useUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error('useUser outside a signed-in route');
  return data;
}

export { readsAllDepartments, writesRegistry } from '@core/auth/role.js';
