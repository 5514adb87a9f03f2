//! What a profile may be called, checked as the person types. The same rules as Rust's
//! `thanks_core::profile_name` (which has the final say on save): letters and digits of any
//! script, single spaces, and - _ . & ' ( ) + , — at most 64 characters. Files and keyring
//! entries are keyed by the profile's random uid, so the name only has to be readable.

export const NAME_PUNCTUATION = "-_.&'()+,";
const MAX_CHARS = 64;

/** Why `name` (as it will be saved: trimmed) can't be a profile name, or null. */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (n === '') return 'Give the profile a name.';
  if ([...n].length > MAX_CHARS) return 'A profile name is at most 64 characters.';
  if (n.includes('  ')) return 'A profile name can’t have two spaces in a row.';
  const allowed = (c: string) => /^[\p{Alphabetic}\p{N}]$/u.test(c) || c === ' ' || NAME_PUNCTUATION.includes(c);
  if (![...n].every(allowed)) return 'Use letters, digits, spaces and - _ . & \' ( ) + , only.';
  return null;
}
