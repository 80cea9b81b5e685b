// The side panel's summary and confirm button: what will be made, what is still missing (shown
// once the user has tried to confirm), and creating the task.
import { api, type CreateParam } from '../../api';
import { h, icon, setChildren } from '../../dom';
import { describeError } from '../../errors';
import { formatSeconds } from '../../format';
import { retext, t, tr, type MsgKey } from '../../i18n';
import { errorNotice, notice } from '../../ui';
import { facePointsParam, marksLookOdd } from './face-markers';
import type { SettingsSection } from './settings';
import { handMarked, MAX_DURATION, partSpeaks, type CreateState, type SpeakerPart } from './state';
import type { VoiceSection } from './voice';

export interface SummaryDeps {
  /** The task name, trimmed. */
  name(): string;
  voice: VoiceSection;
  settings: SettingsSection;
  /** The task was created: forget what was entered. */
  created(id: number): void;
}

export interface SummaryPanel {
  /** Summary, problems, form error and confirm button, for the side panel. */
  readonly body: Node[];
  submit(): Promise<void>;
}

export function summaryPanel(state: CreateState, deps: SummaryDeps): SummaryPanel {
  const { voice, settings } = deps;
  let submitted = false;
  let busy = false;
  const summary = h('dl', { class: 'summary' });
  const problems = h('div', { class: 'problems' });
  const confirmLabel = tr('confirm');
  const confirmBtn = h('button', { type: 'submit', class: 'btn btn-primary btn-lg btn-block' }, icon('video', 18), confirmLabel);
  const formError = h('div', {});

  function problemsNow(): MsgKey[] {
    const { image, audio } = state;
    const out: MsgKey[] = [];
    if (!deps.name()) out.push('needName');
    if (!image || image.phase === 'error') out.push('needImage');
    else if (image.phase !== 'ready') out.push('needImageUploaded');
    else if (image.face && !image.face.found && !handMarked(image)) out.push('needFace');
    else if (handMarked(image) && marksLookOdd(image.marks!)) out.push('markersOdd');
    if (state.parts) {
      if (state.parts.some((p) => p.audio?.phase === 'uploading')) out.push('needAudioUploaded');
      else if (!state.parts.some(partSpeaks)) out.push('needSpeaker');
    } else if (state.mode === 'upload') {
      if (!audio || audio.phase === 'error') out.push('needAudio');
      else if (audio.phase !== 'ready') out.push('needAudioUploaded');
    } else if (!voice.text() || !voice.voiceChosen()) out.push('needAudio');
    const d = settings.duration();
    if (!Number.isFinite(d) || d < 1 || d > MAX_DURATION) out.push('needDuration');
    return out;
  }

  function render(): void {
    const { image, audio, mode } = state;
    const row = (k: MsgKey, v: string, ok: boolean) =>
      [h('dt', {}, t(k)), h('dd', { class: ok ? '' : 'missing' }, v || '—')];
    setChildren(summary,
      row('taskName', deps.name(), !!deps.name()),
      row('stepImage', image && image.phase !== 'error' ? image.file.name : '', image?.phase === 'ready'),
      image?.phase === 'ready' ? faceRow(row) : '',
      state.parts ? row('speakers', state.parts.map((p) => `${p.face}: ${partLabel(p)}`).join(' · '), state.parts.some(partSpeaks)) :
      row('stepAudio', mode === 'upload' ? (audio && audio.phase !== 'error' ? audio.file.name : '') : voice.text().slice(0, 40), mode === 'upload' ? audio?.phase === 'ready' : !!voice.text()),
      row('duration', formatSeconds(settings.duration()), true),
      row('resizeMode', settings.resizeMode() === 'fixedMinSide' ? t('resizeFixed') : t('resizeAdaptive'), true));
    if (submitted) {
      const list = problemsNow();
      setChildren(problems, list.length ? notice('warn', h('ul', {}, ...list.map((k) => h('li', {}, t(k))))) : '');
    }
  }

  /** What one face says: its recording's name, the start of its text, or that it listens. */
  function partLabel(p: SpeakerPart): string {
    if (p.audio && p.audio.phase !== 'error') return p.audio.file.name;
    if (p.text.trim() && p.voice) return `“${p.text.trim().slice(0, 24)}”`;
    return t('listens');
  }

  /** How the face will be found: marked by hand, found automatically, or still to be marked. */
  function faceRow(row: (k: MsgKey, v: string, ok: boolean) => HTMLElement[]): HTMLElement[] {
    const image = state.image!;
    if (handMarked(image)) return row('face', t('faceByHand'), true);
    if (image.face?.found) return row('face', t('faceAuto'), true);
    if (image.face) return row('face', t('faceNotMarked'), false);
    return row('face', t('faceNotChecked'), true);
  }

  async function submit(): Promise<void> {
    if (busy) return;
    submitted = true;
    setChildren(formError);
    render();
    if (problemsNow().length) {
      (problems.querySelector('.notice') as HTMLElement | null)?.focus?.();
      return;
    }
    busy = true;
    confirmBtn.disabled = true;
    retext(confirmLabel, 'creating');
    try {
      const param: CreateParam = {
        imageUrl: state.image!.url!,
        duration: settings.duration(),
        resizeMode: settings.resizeMode(),
      };
      if (state.parts) {
        param.speakers = state.parts.filter(partSpeaks).map((p) => (p.audio?.phase === 'ready'
          ? { face: p.face, audioUrl: p.audio.url! }
          : { face: p.face, text: p.text.trim(), voice: p.voice }));
      } else if (state.mode === 'upload') param.audioUrl = state.audio!.url!;
      else {
        // The duration is preset from the speech, so synthesize first if that has not happened.
        if (!voice.speechIsFresh() && !(await voice.synthesize())) return;
        const speech = state.speech!;
        param.text = speech.text;
        param.voice = speech.voice;
        param.speed = speech.speed;
        param.duration = settings.duration();
      }
      if (handMarked(state.image)) param.facePoints = facePointsParam(state.image!.marks!);
      if (settings.prompt()) param.prompt = settings.prompt();
      const watermark = settings.watermark();
      if (watermark) param.watermark = watermark;
      deps.created(await api.createTask(deps.name(), param));
    } catch (err) {
      const d = describeError(err);
      setChildren(formError, errorNotice(d.plain, d.detail, d.code));
    } finally {
      busy = false;
      confirmBtn.disabled = false;
      retext(confirmLabel, 'confirm');
    }
  }

  state.on('change', render);

  return { body: [summary, problems, formError, confirmBtn], submit };
}
