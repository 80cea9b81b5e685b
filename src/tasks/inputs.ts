// Where a task's picture and speech come from, made local in this one module: a file of ours
// (named by the URL the upload or voice endpoint handed out), a stored avatar's image, or an
// http(s) URL. Three moments, three functions:
//   create         checkTaskInputs  refuses what cannot work (wrong tenant, expired, wrong kind,
//                                   a literal private address) and notes our files' keys;
//   worker (main)  locateInputs     stored files and avatars -> copies in the task's scratch, URLs left as they are;
//   render process fetchInputs      downloads what is still a URL (SSRF-guarded) into scratch.
// The CLI names files or URLs directly (refFromArg) and uses fetchInputs as the worker does.
import fs from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { DhError, invalidArgument } from '../core/errors.js';
import type { SourceFetcher } from '../core/ports.js';
import type { FaceLandmarks } from '../core/types.js';
import { checkUrl } from '../adapters/safe-fetch.js';
import { classifyAddress } from '../net/address-rules.js';
import { readSource } from '../ingest/index.js';
import type { MediaStore, TaskInputs, TaskStore } from '../store/ports.js';
import type { FileUrls } from './file-urls.js';

/**
 * An input still to be made local: a URL to download, or a file the service already holds, with
 * what the client calls it (messages name inputs by that, never by where the service keeps them).
 */
export type InputRef = { readonly url: string } | { readonly file: string; readonly label: string };

/** A task's inputs as the render process receives them. */
export interface ResolvedInputs {
  readonly image: InputRef;
  /** Absent when the speech is synthesized from the spec's text. */
  readonly audio?: InputRef;
  /** A stored avatar's landmarks (detection is skipped); absent = detect. */
  readonly face?: FaceLandmarks | null;
  /** A stored avatar's every face, numbered left to right (speakers name them without detection). */
  readonly faces?: readonly FaceLandmarks[];
  /** Each of the spec's speakers' audio, in its order; null for a speaker whose speech is synthesized from text. */
  readonly speakers?: readonly (InputRef | null)[];
}

/** What resolving needs of the service. */
export interface InputSources {
  readonly store: Pick<TaskStore, 'getFile' | 'getAvatar'>;
  readonly media: Pick<MediaStore, 'download'>;
  readonly urls: FileUrls;
  readonly allowPrivateUrls: boolean;
  readonly retentionDays: number;
}

type Kind = 'image' | 'audio';

const basename = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/**
 * Checks a URL field at create: one of our files (of the right kind, owned by the caller, not
 * expired) - its key is answered - or a URL that may be fetched later (undefined).
 */
export async function checkInputUrl(src: InputSources, tenant: string, field: string, raw: string, kind: Kind | null): Promise<string | undefined> {
  const key = src.urls.keyOf(raw);
  if (key !== null) {
    const file = await src.store.getFile(key);
    if (!file || file.tenant !== tenant) throw new DhError('FILE_NOT_FOUND', { path: raw.slice(0, 200) });
    if (file.deletedAt !== null) throw new DhError('FILE_EXPIRED', { path: raw.slice(0, 200), expiredAt: new Date(file.deletedAt).toISOString(), days: src.retentionDays });
    if (kind && file.kind !== kind) throw new DhError('WRONG_MEDIA_KIND', { field, kind: file.kind, expected: kind === 'image' ? 'image (JPEG, PNG, WebP)' : 'audio file' });
    return key;
  }
  const url = checkUrl(raw, field);
  // Literal addresses are refused now; names are judged when fetched, after resolution.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!src.allowPrivateUrls && isIP(host) && classifyAddress(host) !== 'public') {
    throw new DhError('SOURCE_ADDRESS_REFUSED', { url: raw.slice(0, 200), address: host, range: classifyAddress(host) });
  }
  return undefined;
}

/**
 * The create request's inputs, checked: an avatar that is not found falls back to imageUrl with
 * a warning (pushed on `warnings`), or fails without one. Fields are named as in `param`.
 */
export async function checkTaskInputs(src: InputSources, tenant: string, given: { imageUrl?: string; audioUrl?: string; avatarId?: number; speakers?: readonly { audioUrl?: string }[] }, warnings: string[]): Promise<TaskInputs> {
  let avatarId: number | undefined;
  if (given.avatarId !== undefined) {
    if (await src.store.getAvatar(tenant, given.avatarId)) avatarId = given.avatarId;
    else if (given.imageUrl) warnings.push(`avatarId ${given.avatarId} was not found for this API key; the image was analysed afresh`);
    else throw new DhError('AVATAR_NOT_FOUND', { avatarId: given.avatarId });
  }
  if (!given.imageUrl && avatarId === undefined) throw invalidArgument('param.imageUrl', 'is required', 'Give the portrait\'s URL (or an avatarId of a stored avatar).');
  const imageKey = given.imageUrl ? await checkInputUrl(src, tenant, 'param.imageUrl', given.imageUrl, 'image') : undefined;
  const audioKey = given.audioUrl ? await checkInputUrl(src, tenant, 'param.audioUrl', given.audioUrl, 'audio') : undefined;
  // A speaker's audioUrl is an input like audioUrl: checked now, its key kept (null: not our file, or text).
  const speakerAudioKeys = given.speakers && await Promise.all(given.speakers.map(async (sp, i) =>
    (sp.audioUrl ? await checkInputUrl(src, tenant, `param.speakers[${i}].audioUrl`, sp.audioUrl, 'audio') : undefined) ?? null));
  const inputs = { imageUrl: given.imageUrl, audioUrl: given.audioUrl, imageKey, audioKey, avatarId, speakerAudioKeys };
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as TaskInputs;
}

/** A stored file copied into the task's scratch: media may live on another machine (S3). */
async function download(src: InputSources, key: string, scratchDir: string, name: string): Promise<string> {
  await fs.mkdir(scratchDir, { recursive: true });
  const file = path.join(scratchDir, name);
  await src.media.download(key, file);
  return file;
}

/** A URL of one of our own files resolves to the stored file (checked again: tenant, expiry). */
async function storedOrUrl(src: InputSources, tenant: string, url: string, knownKey: string | undefined, kind: Kind, scratchDir: string, name = `stored-${kind}`): Promise<InputRef> {
  const key = knownKey ?? src.urls.keyOf(url);
  if (key === null) return { url };
  const file = await src.store.getFile(key);
  if (!file || file.tenant !== tenant || file.deletedAt !== null) throw new DhError('FILE_NOT_FOUND', { path: basename(key) });
  return { file: await download(src, key, scratchDir, name), label: `the uploaded ${kind}` };
}

/**
 * A stored task's inputs, when a worker takes it: the avatar's image and face when the avatar
 * still exists (else imageUrl), our files as local paths, other URLs left to fetchInputs.
 */
export async function locateInputs(src: InputSources, tenant: string, inputs: TaskInputs, scratchDir: string, speakers?: readonly { readonly audioUrl?: string }[]): Promise<ResolvedInputs> {
  let image: InputRef | null = null;
  let face: FaceLandmarks | null | undefined;
  let faces: readonly FaceLandmarks[] | undefined;
  if (inputs.avatarId !== undefined) {
    const avatar = await src.store.getAvatar(tenant, inputs.avatarId);
    if (avatar) { image = { file: await download(src, avatar.imageKey, scratchDir, 'stored-image'), label: `avatar ${avatar.id}'s image` }; face = avatar.face; faces = avatar.faces; }
  }
  if (!image) {
    // The avatar was deleted after the task was created, and there is no image to fall back on.
    if (!inputs.imageUrl) throw new DhError('AVATAR_NOT_FOUND', { avatarId: inputs.avatarId ?? 0 });
    image = await storedOrUrl(src, tenant, inputs.imageUrl, inputs.imageKey, 'image', scratchDir);
  }
  const audio = inputs.audioUrl ? await storedOrUrl(src, tenant, inputs.audioUrl, inputs.audioKey, 'audio', scratchDir) : undefined;
  // The spec's speakers' audio (their URLs are in the spec, their keys in inputs).
  const speakerRefs = speakers && await Promise.all(speakers.map((sp, i) => (sp.audioUrl
    ? storedOrUrl(src, tenant, sp.audioUrl, inputs.speakerAudioKeys?.[i] ?? undefined, 'audio', scratchDir, `stored-audio-${i}`)
    : null)));
  return { image, ...(audio ? { audio } : {}), ...(face !== undefined ? { face } : {}), ...(faces ? { faces } : {}), ...(speakerRefs ? { speakers: speakerRefs } : {}) };
}

/** What the CLI's user names: an http(s) (or other scheme's) URL, or a local file. */
export const refFromArg = (arg: string): InputRef => (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) ? { url: arg } : { file: arg, label: arg });

/**
 * Local files for the inputs: held files as they are, URLs downloaded into `dir` as
 * input-image / input-audio. `named` learns which local file stands for which input.
 */
export async function fetchInputs(refs: { image: InputRef; audio?: InputRef; speakers?: readonly (InputRef | null)[] }, dir: string, fetcher: SourceFetcher, signal?: AbortSignal,
  named: (ref: InputRef, file: string) => void = () => {}): Promise<{ image: string; audio: string | null; speakers?: (string | null)[] }> {
  const local = async (ref: InputRef, kind: Kind, name = `input-${kind}`): Promise<string> => {
    if ('file' in ref) { named(ref, ref.file); return ref.file; }
    const file = path.join(dir, name);
    named(ref, file);
    await fs.writeFile(file, await readSource(ref.url, kind, fetcher, signal));
    return file;
  };
  const [image, audio, speakers] = await Promise.all([
    local(refs.image, 'image'), refs.audio ? local(refs.audio, 'audio') : null,
    refs.speakers ? Promise.all(refs.speakers.map((r, i) => (r ? local(r, 'audio', `input-audio-${i}`) : null))) : undefined,
  ]);
  return { image, audio, ...(speakers ? { speakers } : {}) };
}
