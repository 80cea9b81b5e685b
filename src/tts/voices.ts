// The voice catalogue: espeak-ng's languages (each with its default male voice and a female
// variant) and the installed festival voices. Pure: engines report what they have, this
// turns it into stable ids.
import type { Voice } from '../core/types.js';

/** What espeak-ng lists per voice (see the addon's listVoices). */
export interface EspeakVoiceEntry {
  readonly name: string;
  readonly identifier: string;
  readonly gender: number;
  readonly languages: readonly string[];
}

/** espeak-ng variant used for the female voice of every language (its "f3" formant set). */
export const ESPEAK_FEMALE_VARIANT = 'f3';

/** Known festival voices: id suffix, directory (= voice function), language, gender. */
export const FESTIVAL_VOICES = Object.freeze([
  { id: 'us_slt_hts', dir: 'cmu_us_slt_arctic_hts', name: 'SLT (US English, HTS)', language: 'en-US', gender: 'female' as const },
  { id: 'us_kal_diphone', dir: 'kal_diphone', name: 'Kal (US English, diphone)', language: 'en-US', gender: 'male' as const },
]);

/** espeak-ng language names (en-us, cmn-latn-pinyin) to BCP 47 tags (en-US, cmn-Latn-pinyin). */
export function bcp47(lang: string): string {
  return lang.split('-').map((part, i) => {
    if (i === 0) return part.toLowerCase();
    if (/^[a-z]{2}$/i.test(part)) return part.toUpperCase();
    if (/^[a-z]{4}$/i.test(part)) return part[0].toUpperCase() + part.slice(1).toLowerCase();
    return part;
  }).join('-');
}

/**
 * One male and one female voice per espeak-ng language. MBROLA voices (identifier "mb/...") are
 * skipped: they need separately installed diphone databases.
 */
export function espeakVoices(entries: readonly EspeakVoiceEntry[]): Voice[] {
  const seen = new Set<string>();
  const out: Voice[] = [];
  for (const e of entries) {
    const lang = e.languages[0];
    if (!lang || e.identifier.startsWith('mb/') || seen.has(lang)) continue;
    seen.add(lang);
    const name = e.name.replace(/_/g, ' ');
    out.push({ id: `espeak:${lang}`, name, language: bcp47(lang), gender: 'male', engine: 'espeak-ng' });
    out.push({ id: `espeak:${lang}+${ESPEAK_FEMALE_VARIANT}`, name: `${name} (female)`, language: bcp47(lang), gender: 'female', engine: 'espeak-ng' });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export function festivalVoices(installedDirs: readonly string[]): Voice[] {
  return FESTIVAL_VOICES.filter((v) => installedDirs.includes(v.dir))
    .map((v) => ({ id: `festival:${v.id}`, name: v.name, language: v.language, gender: v.gender, engine: 'festival' }));
}

export type ParsedVoiceId =
  | { readonly engine: 'espeak'; readonly language: string; readonly variant?: string }
  | { readonly engine: 'festival'; readonly voice: string };

/** "espeak:en-us", "espeak:en-us+f3", "festival:us_slt_hts"; null when malformed. */
export function parseVoiceId(id: string): ParsedVoiceId | null {
  const m = /^espeak:([a-z]{2,3}(?:-[a-z0-9]+)*)(?:\+([a-z0-9]+))?$/i.exec(id);
  if (m) return m[2] ? { engine: 'espeak', language: m[1], variant: m[2] } : { engine: 'espeak', language: m[1] };
  const f = /^festival:([a-z0-9_]+)$/.exec(id);
  const known = f && FESTIVAL_VOICES.find((v) => v.id === f[1]);
  return known ? { engine: 'festival', voice: known.dir } : null;
}
