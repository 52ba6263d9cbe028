import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults, which are OWASP's recommended minimum (m=19 MiB, t=2, p=1).
// (`Algorithm` is a const enum the package ships ambient; 2 is its Argon2id.)
const OPTIONS = { algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verifying against it costs the same as a real one (no user-enumeration by timing). */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$C49fGwv8qQjUaNe0cFQVzw$CSCr8IfnXvml2X/H3AaSR8rtjMr5q0BrD8pC27hwO54';

/** Null when acceptable, else the reason code. At least 10 characters from at least two classes. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'auth.weak_password';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  return classes >= 2 ? null : 'auth.weak_password';
}

/** A one-time password people can type: no look-alike characters. */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  // Guarantee two classes so the generated password always passes the policy.
  return out.slice(0, -2) + 'a7';
}
