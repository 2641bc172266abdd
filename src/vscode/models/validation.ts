/**
 * The checks the input boxes run while the user types (validateInput), so that a name or alias
 * the store would refuse is refused before anything is sent. They mirror the store's own rules
 * (src/core/store/registry.ts and validation.ts), which stay the final word.
 */

/** MLflow's limit on entity names, registered models included. */
export const MAX_NAME_LENGTH = 256;
const MAX_TAG_KEY_LENGTH = 250;
export const MAX_TAG_VALUE_LENGTH = 5000;

/** Users see aliases as `@champion` in the tree, so a typed leading `@` is accepted and dropped. */
export function normalizeAlias(text: string): string {
  return text.trim().replace(/^@/, '');
}

/** Why an alias would be refused, or undefined when it is fine. */
export function aliasProblem(text: string): string | undefined {
  const alias = normalizeAlias(text);
  if (alias === '') return 'An alias is required, such as champion';
  if (alias.length > 255) return `An alias has at most 255 characters; this has ${alias.length}`;
  if (!/^[A-Za-z0-9_-]+$/.test(alias)) return 'Use only letters, digits, - and _';
  // MLflow resolves `models:/name@latest` and `@v3` itself, so such aliases could never be used.
  if (alias.toLowerCase() === 'latest') return "'latest' is reserved: it names the newest version";
  if (/^v\d+$/i.test(alias)) return `'${alias}' is reserved: v<number> names a version`;
  return undefined;
}

/** The note shown while typing an alias that another version holds: setting it moves it. */
export function aliasMoveNote(
  text: string,
  aliases: Array<{ alias: string; version: string }>,
  version: string,
): string | undefined {
  const alias = normalizeAlias(text);
  const holder = aliases.find((a) => a.alias === alias);
  if (!holder || holder.version === version) return undefined;
  return `@${alias} moves here from version ${holder.version}`;
}

/** Why a registered model name would be refused; `current` is the model's own name on rename. */
export function modelNameProblem(
  text: string,
  taken: (name: string) => boolean,
  current?: string,
): string | undefined {
  const name = text.trim();
  if (name === '') return 'A name is required';
  if (name.length > MAX_NAME_LENGTH) {
    return `A name has at most ${MAX_NAME_LENGTH} characters; this has ${name.length}`;
  }
  if (name !== current && taken(name)) return `A registered model named '${name}' already exists`;
  return undefined;
}

export function tagKeyProblem(text: string): string | undefined {
  const key = text.trim();
  if (key === '') return 'A tag key is required';
  if (key.length > MAX_TAG_KEY_LENGTH) {
    return `A tag key has at most ${MAX_TAG_KEY_LENGTH} characters; this has ${key.length}`;
  }
  if (key.includes('..') || key.startsWith('/')) return 'A tag key may not start with / or hold ..';
  return undefined;
}

export function tagValueProblem(text: string): string | undefined {
  if (text.length <= MAX_TAG_VALUE_LENGTH) return undefined;
  return `A tag value has at most ${MAX_TAG_VALUE_LENGTH} characters; this has ${text.length}`;
}
